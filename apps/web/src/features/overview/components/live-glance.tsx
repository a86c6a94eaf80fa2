// The Overview's first glance: can clients reach the API through every way in, are the BGP sessions up, does the
// Calico version carry the readiness regression — each with why, when not.
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { Card, CardTitle, LoadError, Loading, Pill } from "../../../components/ui";
import { bgpQueries } from "../../bgp/queries";
import { clusterQueries } from "../../cluster/queries";
import { reachability } from "../../endpoints/components/endpoint-matrix";
import { endpointQueries } from "../../endpoints/queries";

export function CalicoWarning() {
  const cluster = useQuery(clusterQueries.current());
  const warning = cluster.data?.calicoWarning;
  if (!warning) return null;
  return (
    <div
      role="alert"
      className="mb-5 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="font-semibold">Calico {warning.version} ignores API endpoint readiness</p>
      <p className="mt-1">{warning.message}</p>
    </div>
  );
}

export function ReachabilityCard() {
  const matrix = useQuery(endpointQueries.matrix());
  const rows = matrix.data ? reachability(matrix.data.endpoints) : [];
  return (
    <Card>
      <CardTitle
        aside={
          <Link href="/cluster" className="text-sky-800 underline dark:text-sky-300">
            Endpoint matrix
          </Link>
        }
      >
        API reachable
      </CardTitle>
      {matrix.isPending ? (
        <Loading what="the API endpoints" />
      ) : matrix.isError ? (
        <div className="p-4">
          <LoadError what="the API endpoints" error={matrix.error} />
        </div>
      ) : rows.length === 0 ? (
        <p className="p-4 text-sm text-slate-700 dark:text-slate-300">No way in has been probed yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Ways in to the API">
          {rows.map((r) => (
            <li
              key={r.label}
              className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5 text-sm"
            >
              <span className="min-w-0 font-medium break-all">{r.label}</span>
              <span className="flex items-center gap-2">
                {r.worst?.why && (
                  <span className="hidden text-xs text-slate-600 sm:inline dark:text-slate-400">
                    {r.worst.why}
                  </span>
                )}
                <Pill tone={r.ready === r.total ? "good" : r.ready === 0 ? "bad" : "warn"}>
                  {r.ready === r.total ? "ready" : (r.worst?.word ?? "not ready")}
                  {r.total > 1 ? ` ${r.ready}/${r.total}` : ""}
                </Pill>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function SessionsCard() {
  const peers = useQuery(bgpQueries.peers());
  const router = peers.data?.peers.filter((p) => p.source === "router") ?? [];
  const up = router.filter((p) => p.state === "Established");
  return (
    <Card>
      <CardTitle
        aside={
          <Link href="/bgp" className="text-sky-800 underline dark:text-sky-300">
            BGP
          </Link>
        }
      >
        BGP sessions on the router
      </CardTitle>
      {peers.isPending ? (
        <Loading what="the sessions" />
      ) : peers.isError ? (
        <div className="p-4">
          <LoadError what="the sessions" error={peers.error} />
        </div>
      ) : router.length === 0 ? (
        <p className="p-4 text-sm text-slate-700 dark:text-slate-300">
          The router has reported no sessions yet.
        </p>
      ) : (
        <div className="space-y-2 p-4 text-sm">
          <p>
            <span className="text-2xl font-semibold tabular-nums">
              {up.length}/{router.length}
            </span>{" "}
            Established
          </p>
          <ul className="flex flex-wrap gap-1.5" aria-label="Router sessions">
            {router.map((p) => (
              <li key={p.address}>
                <Pill tone={p.state === "Established" ? (p.peerState === "Policy" ? "warn" : "good") : "bad"}>
                  {p.name ?? p.address}{" "}
                  {p.state === "Established" ? (p.peerState === "Policy" ? "Policy" : "up") : p.state}
                </Pill>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
