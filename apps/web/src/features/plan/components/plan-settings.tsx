// The settings an operator checks beside the map: on-link, pod blocks, tls-san, DNS, nodes and routing.
import { type Plan, parseCidr } from "@k3s-ha/shared";
import type { ReactNode } from "react";

const mono = "font-mono text-[0.8125rem] break-all";

function Row({ term, path, children }: { term: string; path: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[minmax(0,9rem)_minmax(0,1fr)] gap-x-3 py-1.5">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400" title={path}>
        {term}
      </dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

function onOff(value: boolean, on: string, off: string): string {
  return value ? on : off;
}

/** How many pod blocks of the block size fit the pod range, and how many pod addresses each holds. */
export function podBlocks(plan: Plan): { blocks: bigint; perBlock: bigint } | null {
  const pods = parseCidr(plan.network.podCidr);
  const size = plan.network.podBlockSize;
  if (!pods || size < pods.prefix || size > 128) return null;
  return { blocks: 1n << BigInt(size - pods.prefix), perBlock: 1n << BigInt(128 - size) };
}

export function PlanSettings({ plan }: { plan: Plan }) {
  const blocks = podBlocks(plan);
  const { dns, bgp, network } = plan;
  return (
    <div className="divide-y divide-slate-200 px-4 py-2 dark:divide-slate-800">
      <dl className="py-1">
        <Row term="On-link /64" path="network.onLink">
          {onOff(
            network.onLink,
            "yes: the router advertises the /64 on-link (RA)",
            "no: only the host range is on the link",
          )}
        </Row>
        <Row term="Pod block size" path="network.podBlockSize">
          /{network.podBlockSize}
          {blocks && (
            <span className="text-slate-600 dark:text-slate-400">
              {" "}
              — {blocks.blocks.toLocaleString("en-US")} blocks of {blocks.perBlock.toLocaleString("en-US")}{" "}
              pod addresses
            </span>
          )}
        </Row>
        <Row term="Node-to-node mesh" path="bgp.nodeToNodeMesh">
          {onOff(bgp.nodeToNodeMesh, "on", "off (route reflection or the router carries node routes)")}
        </Row>
        <Row term="Pod routes to router" path="bgp.rejectPodRoutes">
          {onOff(bgp.rejectPodRoutes, "rejected (BGPFilter on the router peer)", "exported to the router")}
        </Row>
        <Row term="Pod encapsulation" path="bgp.podEncapsulation">
          {bgp.podEncapsulation}
        </Row>
      </dl>
      <dl className="py-1">
        <Row term="tls-san" path="k3s.tlsSan">
          {plan.k3s.tlsSan.length === 0 ? (
            "none"
          ) : (
            <ul className="space-y-0.5">
              {plan.k3s.tlsSan.map((san) => (
                <li key={san} className={mono}>
                  {san}
                </li>
              ))}
            </ul>
          )}
        </Row>
      </dl>
      <dl className="py-1">
        <Row term="DNS server" path="dns.server">
          <span className={mono}>
            {dns.server.includes(":") ? `[${dns.server}]` : dns.server}:{dns.port}
          </span>
        </Row>
        <Row term="Zone, TTL" path="dns.zone">
          <span className={mono}>{dns.zone}</span>, {dns.ttl} s
        </Row>
        <Row term="TSIG key" path="dns.tsig.name">
          {dns.tsig ? (
            <>
              <span className={mono}>{dns.tsig.name}</span> ({dns.tsig.algorithm})
            </>
          ) : (
            "none: the console reads DNS but cannot update it"
          )}
        </Row>
      </dl>
      <dl className="py-1">
        <Row term="Nodes" path="nodes">
          <ul className="space-y-0.5">
            {plan.nodes.map((node) => (
              <li key={node.name} className="flex flex-wrap gap-x-2">
                <span className="font-medium">{node.name}</span>
                <span className="text-slate-600 dark:text-slate-400">{node.role}</span>
                <span className={mono}>{node.address}</span>
              </li>
            ))}
          </ul>
        </Row>
      </dl>
    </div>
  );
}
