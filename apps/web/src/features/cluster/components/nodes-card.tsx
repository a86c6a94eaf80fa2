// The cluster's nodes: Ready and why, roles, addresses, cordoned, excluded from load balancers, k3s version.
import type { ClusterNode } from "@k3s-ha/shared";
import { Card, CardTitle, Mono, Pill } from "../../../components/ui";

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top";

function Ready({ node }: { node: ClusterNode }) {
  return (
    <Pill tone={node.ready === "ready" ? "good" : node.ready === "unknown" ? "warn" : "bad"}>
      {node.ready === "ready" ? "Ready" : node.ready === "unknown" ? "Unknown" : "NotReady"}
    </Pill>
  );
}

function Flags({ node, dash = true }: { node: ClusterNode; dash?: boolean }) {
  const flags = [
    ...(node.unschedulable ? ["cordoned"] : []),
    ...(node.excludedFromLoadBalancers ? ["excluded from load balancers"] : []),
    ...node.problems,
  ];
  return flags.length ? (
    <span className="flex flex-wrap gap-1">
      {flags.map((f) => (
        <Pill key={f} tone="warn">
          {f}
        </Pill>
      ))}
    </span>
  ) : dash ? (
    <span className="text-slate-500 dark:text-slate-400">—</span>
  ) : null;
}

const why = (n: ClusterNode) =>
  n.ready === "ready" ? undefined : [n.readyReason, n.readyMessage].filter(Boolean).join(": ");
const internal = (n: ClusterNode) => n.addresses.filter((a) => a.type === "InternalIP").map((a) => a.address);

export function NodesCard({ nodes }: { nodes: ClusterNode[] }) {
  return (
    <Card>
      <CardTitle aside={`${nodes.filter((n) => n.ready === "ready").length}/${nodes.length} Ready`}>
        Nodes
      </CardTitle>
      {nodes.length === 0 ? (
        <p className="p-4 text-sm">The cluster lists no nodes.</p>
      ) : (
        <>
          <table className="hidden w-full text-sm md:table">
            <thead className="border-b border-slate-200 dark:border-slate-800">
              <tr>
                <th className={th}>Node</th>
                <th className={th}>Ready</th>
                <th className={th}>Roles</th>
                <th className={th}>Address</th>
                <th className={th}>Version</th>
                <th className={th}>Scheduling</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {nodes.map((n) => (
                <tr key={n.name}>
                  <td className={`${td} font-medium`}>{n.name}</td>
                  <td className={td}>
                    <Ready node={n} />
                    {why(n) && (
                      <p className="mt-1 max-w-xs text-xs text-slate-600 dark:text-slate-400">{why(n)}</p>
                    )}
                  </td>
                  <td className={td}>{n.roles.join(", ") || "worker"}</td>
                  <td className={td}>
                    <Mono>{internal(n).join(", ") || "—"}</Mono>
                  </td>
                  <td className={td}>
                    <Mono>{n.kubeletVersion ?? "—"}</Mono>
                  </td>
                  <td className={td}>
                    <Flags node={n} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="divide-y divide-slate-100 md:hidden dark:divide-slate-800">
            {nodes.map((n) => (
              <li key={n.name} className="space-y-1 p-4 text-sm">
                <div className="flex items-center justify-between gap-2">
                  <span className="font-medium">{n.name}</span>
                  <Ready node={n} />
                </div>
                {why(n) && <p className="text-slate-700 dark:text-slate-300">{why(n)}</p>}
                <p className="text-slate-600 dark:text-slate-400">
                  {n.roles.join(", ") || "worker"} · <Mono>{n.kubeletVersion ?? "—"}</Mono>
                </p>
                <Mono className="block">{internal(n).join(", ")}</Mono>
                <Flags node={n} dash={false} />
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
