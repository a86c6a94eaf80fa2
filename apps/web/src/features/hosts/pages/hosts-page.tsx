// Route /hosts: each SSH host's key — pinned in the plan, from known_hosts, approved here, or not at all — and, for a
// host whose key is not approved (or changed), the fingerprint it offers with an explicit approve / re-approve.
import type { HostsResponse } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import {
  Card,
  CardTitle,
  FormAlert,
  LoadError,
  Loading,
  Mono,
  PageHeader,
  primaryButtonClass,
} from "../../../components/ui";
import { isApiError } from "../../../lib/api";
import { formatDateTime } from "../../../lib/format";
import { hostQueries, useApproveKey } from "../queries";

type Host = HostsResponse["hosts"][number];

const PIN_TEXT: Record<Host["pin"], string> = {
  plan: "pinned in the plan (ssh.hostKey)",
  "known-hosts": "pinned by the plan's known_hosts file",
  approved: "approved in the console",
  none: "not pinned: the console will not connect until a key is approved",
};

function approveError(error: unknown): string {
  if (isApiError(error, "FINGERPRINT_CHANGED")) return `${error.message}.`;
  if (isApiError(error)) return error.message;
  return "The key was not approved.";
}

export function HostCard({ host }: { host: Host }) {
  const approve = useApproveKey();
  const [confirming, setConfirming] = useState(false);
  const offered = host.offered?.fingerprint;
  const changed = offered !== undefined && host.pinnedFingerprints.length > 0;
  const canApprove = offered !== undefined && (host.pin === "none" || host.pin === "approved");
  return (
    <li className="space-y-2 p-4 text-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">{host.name}</span>
        {host.address && (
          <Mono className="text-slate-600 dark:text-slate-400">
            {host.user}@[{host.address}]:{host.port}
          </Mono>
        )}
      </div>
      {host.error ? (
        <p className="text-red-800 dark:text-red-300">
          {host.error.code}: {host.error.message}
        </p>
      ) : (
        <p>
          Host key {PIN_TEXT[host.pin]}
          {host.pin === "approved" && host.approvedBy && host.approvedAt
            ? ` by ${host.approvedBy} on ${formatDateTime(host.approvedAt)}`
            : ""}
          .
        </p>
      )}
      {host.pinnedFingerprints.map((f) => (
        <p key={f}>
          Expected <Mono>{f}</Mono>
        </p>
      ))}
      {offered && (
        <div
          className={`rounded-lg border p-3 ${changed ? "border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40" : "border-amber-300 bg-amber-50 dark:border-amber-900 dark:bg-amber-950/40"}`}
        >
          <p className="font-semibold">
            {changed ? "The host offers a different key — possibly someone in between:" : "The host offers:"}
          </p>
          <p className="mt-1">
            <Mono>{offered}</Mono>
          </p>
          {canApprove ? (
            <p className="mt-2 text-slate-700 dark:text-slate-300">
              Compare it with <Mono>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</Mono> on the host itself
              before approving.
            </p>
          ) : (
            <p className="mt-2">
              The plan pins this host's key: change the plan if the host was reinstalled.
            </p>
          )}
          {canApprove &&
            (confirming ? (
              <div className="mt-2 flex flex-wrap gap-2">
                <button
                  type="button"
                  className={primaryButtonClass}
                  disabled={approve.isPending}
                  onClick={() =>
                    approve.mutate(
                      { name: host.name, fingerprint: offered },
                      { onSettled: () => setConfirming(false) },
                    )
                  }
                >
                  {host.pin === "approved" ? "Re-approve" : "Approve"} {offered.slice(0, 15)}…
                </button>
                <button
                  type="button"
                  className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium dark:border-slate-700"
                  onClick={() => setConfirming(false)}
                >
                  Cancel
                </button>
              </div>
            ) : (
              <button
                type="button"
                className={`mt-2 ${primaryButtonClass}`}
                onClick={() => setConfirming(true)}
              >
                {host.pin === "approved" ? "Re-approve this key…" : "Approve this key…"}
              </button>
            ))}
          {approve.isError && (
            <div className="mt-2">
              <FormAlert>{approveError(approve.error)}</FormAlert>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

export function HostsPage() {
  const hosts = useQuery(hostQueries.list());
  return (
    <>
      <PageHeader title="Hosts">
        The router and nodes the console runs commands on over SSH, and how each host key is pinned.
      </PageHeader>
      <Card>
        <CardTitle>SSH hosts</CardTitle>
        {hosts.isPending ? (
          <Loading what="the hosts" />
        ) : hosts.isError ? (
          <div className="p-4">
            <LoadError what="the hosts" error={hosts.error} />
          </div>
        ) : hosts.data.hosts.length === 0 ? (
          <p className="p-4 text-sm">The plan names no hosts.</p>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {hosts.data.hosts.map((h) => (
              <HostCard key={h.name} host={h} />
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
