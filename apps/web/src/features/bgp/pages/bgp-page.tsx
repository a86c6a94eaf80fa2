// Route /bgp: the router's BGP sessions with the nodes (state, uptime, prefixes, negotiated timers, graceful restart,
// BFD) and the routes it has for the plan's ranges, with the FIB's next hops named after the nodes. Live: the page
// refetches when the router's snapshot changes.
import type { BgpPeersResponse, BgpRoutesResponse } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { StaleNotice } from "../../../components/stale-notice";
import { Card, CardTitle, LoadError, Loading, Mono, PageHeader } from "../../../components/ui";
import { NodeStatusOffer } from "../../cluster/components/node-status-offer";
import { AuditChecksCard } from "../../route-audit/components/audit-checks";
import { SourceState } from "../../sources/components/source-state";
import { FullTableCard } from "../components/full-table";
import { RouteTable } from "../components/route-table";
import { bgpQueries } from "../queries";

type Peer = BgpPeersResponse["peers"][number];
type Route = BgpRoutesResponse["routes"][number];

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top";

const stateStyle = (state: Peer["state"]) =>
  state === "Established"
    ? "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800"
    : "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800";

function State({ peer }: { peer: Peer }) {
  return (
    <span
      className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${stateStyle(peer.state)}`}
    >
      {peer.state}
      {peer.peerState && peer.peerState !== "OK" ? ` (${peer.peerState})` : ""}
    </span>
  );
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "—";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

const timers = (p: Peer) =>
  p.holdTimeMs !== undefined && p.keepaliveMs !== undefined
    ? `${p.keepaliveMs / 1000} s / ${p.holdTimeMs / 1000} s`
    : "—";
const gr = (p: Peer) =>
  p.gracefulRestart
    ? `${p.gracefulRestart.remoteMode ?? "?"}${p.gracefulRestart.peerRestartTimeS !== undefined ? `, ${p.gracefulRestart.peerRestartTimeS} s` : ""}`
    : "—";

export function PeersCard({ peers }: { peers: Peer[] }) {
  if (peers.length === 0)
    return (
      <p className="p-4 text-sm text-slate-700 dark:text-slate-300">
        The router has reported no sessions yet.
      </p>
    );
  return (
    <>
      <table className="hidden w-full text-sm md:table">
        <thead className="border-b border-slate-200 dark:border-slate-800">
          <tr>
            <th className={th}>Peer</th>
            <th className={th}>State</th>
            <th className={th}>Up for</th>
            <th className={th}>Prefixes in / out</th>
            <th className={th}>Keepalive / hold</th>
            <th className={th}>Graceful restart</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {peers.map((p) => (
            <tr key={`${p.source} ${p.address}`}>
              <td className={td}>
                <span className="font-medium">{p.name ?? "unknown peer"}</span>
                <br />
                <Mono className="text-slate-600 dark:text-slate-400">{p.address}</Mono>
              </td>
              <td className={td}>
                <State peer={p} />
              </td>
              <td className={`${td} tabular-nums`}>{formatDuration(p.uptimeMs)}</td>
              <td className={`${td} tabular-nums`}>
                {p.prefixesReceived ?? "—"} / {p.prefixesSent ?? "—"}
              </td>
              <td className={`${td} tabular-nums`}>{timers(p)}</td>
              <td className={td}>{gr(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="divide-y divide-slate-100 md:hidden dark:divide-slate-800">
        {peers.map((p) => (
          <li key={`${p.source} ${p.address}`} className="space-y-1 p-4 text-sm">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium">{p.name ?? "unknown peer"}</span>
              <State peer={p} />
            </div>
            <Mono className="block text-slate-600 dark:text-slate-400">{p.address}</Mono>
            <p>
              Up for {formatDuration(p.uptimeMs)} · prefixes {p.prefixesReceived ?? "—"} in /{" "}
              {p.prefixesSent ?? "—"} out
            </p>
            <p>
              Keepalive / hold {timers(p)} · graceful restart {gr(p)}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Calico's own view, per node: whom its BIRD peers with and in what state (mesh and the router). */
export function NodeViews({ peers }: { peers: Peer[] }) {
  const bySource = new Map<string, Peer[]>();
  for (const p of peers) bySource.set(p.source, [...(bySource.get(p.source) ?? []), p]);
  if (bySource.size === 0) return null;
  return (
    <Card>
      <CardTitle>Calico's sessions, as each node sees them</CardTitle>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {[...bySource].map(([source, list]) => (
          <li key={source} className="space-y-2 p-4 text-sm">
            <span className="font-medium">{source.replace(/^node:/, "")}</span>
            <ul
              className="flex flex-wrap gap-1.5"
              aria-label={`BGP sessions of ${source.replace(/^node:/, "")}`}
            >
              {list.map((p) => (
                <li key={p.address} className="flex items-center gap-1.5">
                  <span>{p.name ?? p.address}</span>
                  <State peer={p} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/**
 * Paths per next-hop node: with Calico's add-path each node also relays the others' paths, so the router holds up
 * to one path per node per peer — what matters is through which nodes, and how many.
 */
export function pathGroups(route: Route) {
  const groups = new Map<
    string,
    { via: string; count: number; best: boolean; multipath: boolean; stale: boolean; invalid: boolean }
  >();
  for (const p of route.paths) {
    const via = p.node ?? p.nextHop;
    const g = groups.get(via) ?? {
      via,
      count: 0,
      best: false,
      multipath: false,
      stale: false,
      invalid: true,
    };
    groups.set(via, {
      via,
      count: g.count + 1,
      best: g.best || p.best,
      multipath: g.multipath || p.multipath,
      stale: g.stale || p.stale,
      invalid: g.invalid && !p.valid,
    });
  }
  return [...groups.values()].sort((a, b) => a.via.localeCompare(b.via));
}

export function RouteCard({ route }: { route: Route }) {
  const hops = route.fib.nextHops;
  return (
    <li className="space-y-2 p-4 text-sm">
      <Mono className="font-semibold">{route.prefix}</Mono>
      <p>
        Forwarded to{" "}
        {hops.length === 0
          ? "nobody: the router has no route in its FIB"
          : hops.map((h, i) => (
              <span key={h.address}>
                {i > 0 && ", "}
                <span className="font-medium">{h.node ?? h.address}</span>
                {!h.active && " (inactive)"}
              </span>
            ))}
      </p>
      <ul className="flex flex-wrap gap-1.5" aria-label={`BGP paths for ${route.prefix}`}>
        {pathGroups(route).map((g) => (
          <li
            key={g.via}
            className="rounded-md bg-slate-100 px-2 py-0.5 text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200"
          >
            via {g.via}
            {g.count > 1 ? ` ×${g.count}` : ""}
            {g.best ? " · best" : g.multipath ? " · multipath" : ""}
            {g.stale ? " · stale (graceful restart)" : ""}
            {g.invalid ? " · invalid" : ""}
          </li>
        ))}
      </ul>
    </li>
  );
}

export function BgpPage() {
  const peers = useQuery(bgpQueries.peers());
  const routes = useQuery(bgpQueries.routes());
  return (
    <>
      <PageHeader title="BGP" aside={<SourceState id="router" label="Router" />}>
        The router's sessions with the nodes and the routes it has for the plan's ranges.
      </PageHeader>
      <div className="space-y-5">
        <Card>
          <CardTitle>Sessions on the router</CardTitle>
          {peers.isPending ? (
            <Loading what="the sessions" />
          ) : peers.isError ? (
            <div className="p-4">
              <LoadError what="the sessions" error={peers.error} />
            </div>
          ) : (
            <>
              <StaleNotice updatedAt={peers.dataUpdatedAt} what="the sessions" />
              <PeersCard peers={peers.data.peers.filter((p) => p.source === "router")} />
            </>
          )}
        </Card>
        {peers.data && <NodeViews peers={peers.data.peers.filter((p) => p.source !== "router")} />}
        <NodeStatusOffer />
        <AuditChecksCard />
        <Card>
          <CardTitle>Routes for the plan's ranges</CardTitle>
          {routes.isPending ? (
            <Loading what="the routes" />
          ) : routes.isError ? (
            <div className="p-4">
              <LoadError what="the routes" error={routes.error} />
            </div>
          ) : routes.data.routes.length === 0 ? (
            <p className="p-4 text-sm text-slate-700 dark:text-slate-300">
              The router has no routes in the plan's ranges (or has not been read yet).
            </p>
          ) : (
            <RouteTable routes={routes.data.routes} render={(r) => <RouteCard key={r.prefix} route={r} />} />
          )}
        </Card>
        <FullTableCard />
      </div>
    </>
  );
}
