// Where each host's SSH key pin comes from, for the address plan page: pinned in the file, taken from known_hosts,
// approved in the console (by whom and when), or not pinned yet (approve it on the Hosts page).
import type { HostsResponse } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { Card, CardTitle, Mono, Pill, type Tone } from "../../../components/ui";
import { formatDateTime } from "../../../lib/format";
import { hostQueries } from "../queries";

type Host = HostsResponse["hosts"][number];

export function pinWords(h: Host): { tone: Tone; word: string; detail?: string } {
  if (h.error) return { tone: "bad", word: "unusable", detail: h.error.message };
  if (h.pin === "plan") return { tone: "good", word: "pinned in the plan file" };
  if (h.pin === "known-hosts") return { tone: "good", word: "pinned by known_hosts" };
  if (h.pin === "approved")
    return {
      tone: "good",
      word: "approved in the console",
      detail: h.approvedBy
        ? `by ${h.approvedBy}${h.approvedAt ? ` on ${formatDateTime(h.approvedAt)}` : ""}`
        : undefined,
    };
  return { tone: "warn", word: "not pinned", detail: "never contacted until its key is approved" };
}

export function HostKeyPins() {
  const hosts = useQuery(hostQueries.list());
  if (!hosts.data) return null;
  return (
    <Card className="mt-6">
      <CardTitle
        aside={
          <Link href="/hosts" className="text-sky-800 underline dark:text-sky-300">
            Hosts
          </Link>
        }
      >
        SSH host keys
      </CardTitle>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {hosts.data.hosts.map((h) => {
          const w = pinWords(h);
          return (
            <li
              key={h.name}
              className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5 text-sm"
            >
              <span className="min-w-0">
                <span className="font-medium">{h.name}</span>{" "}
                <Mono className="text-slate-600 dark:text-slate-400">{h.pinnedFingerprints[0] ?? ""}</Mono>
              </span>
              <span className="flex flex-wrap items-center gap-2">
                {w.detail && <span className="text-xs text-slate-600 dark:text-slate-400">{w.detail}</span>}
                <Pill tone={w.tone}>{w.word}</Pill>
              </span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
