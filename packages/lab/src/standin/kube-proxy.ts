// kube-proxy inside a node's k3s stand-in, for what the console must see: a Service with externalTrafficPolicy
// Local drops external traffic to its LoadBalancer and external IPs on a node with no local endpoint to send it to
// (pkg/proxy/iptables proxier: "has no local endpoints" → DROP; the nftables proxier likewise). Local endpoints are
// the ready ones on this node, or — when none is ready — the serving terminating ones (KEP-1669). The rules are
// written to the node's own nftables and stay there when k3s stops: kube-proxy does not clean up on exit.
// The lab models LoadBalancer ingress IPs and spec.externalIPs; NodePorts are not modelled.
import { run } from "../exec.js";
import { type KubeClient, type KubeObject, R } from "../kube/index.js";

export const KUBE_PROXY_TABLE = "k3s-lab-kube-proxy";

export interface DropRule {
  ip: string;
  port: number;
  protocol: "tcp" | "udp" | "sctp";
  /** kube-proxy's comment: `<namespace>/<service>:<port name> has no local endpoints`. */
  comment: string;
}

interface Endpoint {
  nodeName?: string;
  conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
}

const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The external IP:ports this node drops: eTP Local services without a usable endpoint on `nodeName`. */
export function externalDrops(
  services: readonly KubeObject[],
  slices: readonly KubeObject[],
  nodeName: string,
): DropRule[] {
  const rules: DropRule[] = [];
  for (const svc of services) {
    const spec = (svc.spec ?? {}) as Record<string, unknown>;
    if (spec.externalTrafficPolicy !== "Local") continue;
    if (spec.type !== "LoadBalancer" && spec.type !== "NodePort") continue;
    const ns = svc.metadata.namespace ?? "default";
    const name = svc.metadata.name ?? "";
    const endpoints = slices
      .filter(
        (s) => s.metadata.namespace === ns && s.metadata.labels?.["kubernetes.io/service-name"] === name,
      )
      .flatMap((s) => arr<Endpoint>((s as { endpoints?: unknown }).endpoints))
      .filter((e) => e.nodeName === nodeName);
    const ready = endpoints.some((e) => e.conditions?.ready !== false);
    const servingTerminating = endpoints.some(
      (e) => e.conditions?.serving === true && e.conditions?.terminating === true,
    );
    if (ready || servingTerminating) continue;
    const status = (svc.status ?? {}) as { loadBalancer?: { ingress?: { ip?: string }[] } };
    const ips = [
      ...(spec.type === "LoadBalancer" ? arr<{ ip?: string }>(status.loadBalancer?.ingress) : []).map(
        (i) => i.ip ?? "",
      ),
      ...arr<string>(spec.externalIPs),
    ].filter(Boolean);
    for (const p of arr<{ name?: string; port?: number; protocol?: string }>(spec.ports)) {
      if (typeof p.port !== "number") continue;
      const protocol = (p.protocol ?? "TCP").toLowerCase() as DropRule["protocol"];
      const comment = `${ns}/${name}${p.name ? `:${p.name}` : ""} has no local endpoints`;
      for (const ip of ips) rules.push({ ip, port: p.port, protocol, comment });
    }
  }
  return rules.sort((a, b) => `${a.ip} ${a.port}`.localeCompare(`${b.ip} ${b.port}`));
}

/** One atomic nft script: the table replaced with exactly these rules (external traffic only: prerouting). */
export function renderKubeProxyNft(rules: readonly DropRule[]): string {
  const lines = rules.map((r) => {
    const family = r.ip.includes(":") ? "ip6" : "ip";
    const comment = r.comment.replace(/"/g, "'");
    return `    ${family} daddr ${r.ip} ${r.protocol} dport ${r.port} counter drop comment "${comment}"`;
  });
  return [
    `table inet ${KUBE_PROXY_TABLE}`,
    `delete table inet ${KUBE_PROXY_TABLE}`,
    `table inet ${KUBE_PROXY_TABLE} {`,
    "  chain external {",
    "    type filter hook prerouting priority -110; policy accept;",
    ...lines,
    "  }",
    "}",
    "",
  ].join("\n");
}

/** Keeps this node's rules in step with the Services and EndpointSlices (minSyncPeriod-like debounce). */
export function startKubeProxy(
  client: KubeClient,
  nodeName: string,
  options: { resyncMs?: number; log?: (line: string) => void } = {},
): { stop(): void; syncNow(): Promise<void> } {
  let applied: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  let stopped = false;
  const sync = () => {
    chain = chain
      .then(async () => {
        if (stopped) return;
        const rules = externalDrops(client.list(R.services), client.list(R.endpointslices), nodeName);
        const script = renderKubeProxyNft(rules);
        if (script === applied) return;
        await run("nft", ["-f", "-"], { input: script, timeoutMs: 5_000 });
        applied = script;
        options.log?.(
          `kube-proxy: ${rules.length} external drop rule(s) for services without local endpoints`,
        );
      })
      .catch((err: unknown) => options.log?.(`kube-proxy: sync failed: ${(err as Error).message}`));
    return chain;
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void sync(), 100);
  };
  const unwatch = client.onChanges([R.services, R.endpointslices], schedule);
  const resync = setInterval(() => void sync(), options.resyncMs ?? 30_000);
  void sync();
  return {
    stop() {
      // The rules stay in the kernel, as kube-proxy leaves them.
      stopped = true;
      clearTimeout(timer);
      clearInterval(resync);
      unwatch();
    },
    syncNow: sync,
  };
}
