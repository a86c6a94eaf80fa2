// calico-node's BIRD configuration (BIRD 2 syntax), rendered from the Calico and Kubernetes objects the way
// confd renders bird6.cfg / bird6_aggr.cfg / bird6_ipam.cfg (v3.31-v3.32): peers from BGPPeers (global,
// node-specific, selector peers), the node-to-node mesh, BGPFilter functions, and service routes as
// confd's route generator decides them (serviceClusterIPs / serviceExternalIPs / serviceLoadBalancerIPs,
// externalTrafficPolicy Local endpoints, exclude-from-external-load-balancers). Pure: no I/O.
import { cidrContainsIp, formatIp, parseCidr, parseIp } from "@k3s-ha/shared";
import { calicoProtocolName } from "../topology.js";
import { type Labels, selectorMatches } from "./selector.js";
import type { CalicoModel } from "./versions.js";

export const EXCLUDE_LB_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
/** Calico's default AS number when no BGPConfiguration sets one. */
export const DEFAULT_AS = 64512;

export interface CidrEntry {
  cidr: string;
}

export interface BgpConfigurationSpec {
  asNumber?: number;
  nodeToNodeMeshEnabled?: boolean;
  serviceClusterIPs?: CidrEntry[];
  serviceExternalIPs?: CidrEntry[];
  serviceLoadBalancerIPs?: CidrEntry[];
  /** Enabled (default): the LB CIDRs from every node; Disabled: a /128 per eTP Cluster service with endpoints. */
  serviceLoadBalancerAggregation?: "Enabled" | "Disabled";
  logSeverityScreen?: string;
}

export interface BgpPeerSpec {
  peerIP?: string;
  asNumber?: number;
  filters?: string[];
  node?: string;
  nodeSelector?: string;
  peerSelector?: string;
  keepaliveTime?: string;
  sourceAddress?: string;
}

export interface BgpFilterRule {
  action: string;
  matchOperator?: string;
  cidr?: string;
  prefixLength?: { min?: number; max?: number };
  /** RemotePeers: routes learned over BGP (e.g. from mesh peers), as opposed to this node's own. */
  source?: string;
  interface?: string;
}

export interface BgpFilterSpec {
  exportV6?: BgpFilterRule[];
  importV6?: BgpFilterRule[];
}

export interface Named<S> {
  name: string;
  spec: S;
}

export interface CalicoNodeInfo {
  name: string;
  /** The node's IPv6 address (Calico's ip_addr_v6). */
  address: string;
  labels: Labels;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  type?: string;
  clusterIP?: string;
  externalIPs?: string[];
  externalTrafficPolicy?: string;
  loadBalancerIP?: string;
  /** status.loadBalancer.ingress[].ip */
  ingressIPs?: string[];
}

export interface EndpointSliceInfo {
  namespace: string;
  /** The kubernetes.io/service-name label. */
  serviceName: string;
  endpoints: { addresses: string[]; nodeName?: string; ready?: boolean }[];
}

export interface CalicoBirdInput {
  /** This node: its name, address and labels, plus CALICO_ROUTER_ID and its confirmed IPAM blocks. */
  node: CalicoNodeInfo & { routerId: string; podBlocks: string[] };
  /** Every Calico node of the cluster (this one included): the mesh and selector peers. */
  nodes: CalicoNodeInfo[];
  /** BGPConfiguration `default` (Calico's defaults when absent). */
  bgpConfiguration?: BgpConfigurationSpec;
  peers: Named<BgpPeerSpec>[];
  filters: Named<BgpFilterSpec>[];
  services: ServiceInfo[];
  endpointSlices: EndpointSliceInfo[];
  /** Enabled IPPool CIDRs (accept_enabled_pools). */
  ipPools: string[];
  /** BIRD's log file (a daemonised BIRD has no stderr). */
  logFile: string;
  /** Lab only (Calico has no BFD): `bfd on;` on explicit peers that are not Calico nodes. */
  bfd?: boolean;
  /** Which endpoints make a node advertise an eTP Local /128 (the Calico version's; default: ready ones). */
  etpLocalEndpoints?: CalicoModel["etpLocalEndpoints"];
  /** The order of the protocol blocks (the Calico version's; default: v3.31's template order). */
  birdOrder?: CalicoModel["birdOrder"];
  /** BGPConfiguration ignoredInterfaces; the lab's VIP sits on lo. */
  ignoredInterfaces?: string[];
}

// ---------- BGPFilter → BIRD functions (confd_template_funcs.go) ----------

const OPERATORS: Record<string, string> = { Equal: "=", NotEqual: "!=", In: "~", NotIn: "!~" };

function truncateName(name: string, maxLen: number): string {
  // Calico truncates and hashes names too long for a BIRD symbol; lab names never are.
  return name.length <= maxLen ? name : name.slice(0, maxLen);
}

/** `'bgp_<name>_exportFilterV6'` as Calico's BGPFilterFunctionName names it. */
export function filterFunctionName(filter: string, direction: "import" | "export"): string {
  const fixed = `bgp__${direction}FilterV6`.length;
  return `'bgp_${truncateName(filter, 64 - fixed)}_${direction}FilterV6'`;
}

function matchCidr(rule: BgpFilterRule): string {
  const op = OPERATORS[rule.matchOperator ?? ""];
  if (!op) throw new Error(`unexpected operator found in BGPFilter: ${rule.matchOperator ?? ""}`);
  let cidr = rule.cidr ?? "";
  if (rule.prefixLength) {
    const parsed = parseCidr(cidr);
    if (!parsed) throw new Error(`unexpected error when parsing cidr ${cidr}`);
    const min = Math.max(parsed.prefix, rule.prefixLength.min ?? 0);
    const max = Math.min(parsed.family === 6 ? 128 : 32, rule.prefixLength.max ?? 128);
    cidr = `[ ${cidr}{${min},${max}} ]`;
  }
  return `(net ${op} ${cidr})`;
}

export function filterStatement(rule: BgpFilterRule): string {
  if (rule.action !== "Accept" && rule.action !== "Reject")
    throw new Error(`unexpected action found in BGPFilter: ${rule.action}`);
  const action = `${rule.action.toLowerCase()};`;
  const conditions: string[] = [];
  if (rule.cidr) {
    if (!rule.matchOperator) throw new Error("operator not included in BGPFilter");
    conditions.push(matchCidr(rule));
  }
  if (rule.source) {
    if (rule.source !== "RemotePeers")
      throw new Error(`unexpected source found in BGPFilter: ${rule.source}`);
    conditions.push("((defined(source))&&(source ~ [ RTS_BGP ]))");
  }
  if (rule.interface) conditions.push(`((defined(ifname))&&(ifname ~ "${rule.interface}"))`);
  return conditions.length ? `if (${conditions.join("&&")}) then { ${action} }` : action;
}

/** BGPFilterBIRDFuncs(…, 6): a comment and the import/export functions of every filter with v6 rules. */
export function filterFunctions(filters: readonly Named<BgpFilterSpec>[]): string[] {
  const lines: string[] = [];
  for (const f of [...filters].sort((a, b) => a.name.localeCompare(b.name))) {
    const imports = f.spec.importV6 ?? [];
    const exports = f.spec.exportV6 ?? [];
    if (imports.length === 0 && exports.length === 0) continue;
    lines.push(`# v6 BGPFilter ${f.name}`);
    for (const [direction, rules] of [
      ["import", imports],
      ["export", exports],
    ] as const) {
      if (rules.length === 0) continue;
      lines.push(`function ${filterFunctionName(f.name, direction)}() {`);
      for (const r of rules) lines.push(`  ${filterStatement(r)}`);
      lines.push("}");
    }
  }
  if (lines.length === 0) lines.push("# No v6 BGPFilters configured");
  return lines;
}

// ---------- peers (confd client.go updatePeersV1 + bird6.cfg.template) ----------

export interface BirdPeer {
  kind: "Global" | "Node" | "Mesh";
  ip: string;
  asNumber: number;
  filters: string[];
  /** The peer is a Calico node (the peering is made unidirectional). */
  calicoNode: boolean;
  keepaliveSeconds?: number;
  /** The Calico node's name, for mesh peers. */
  nodeName?: string;
}

/** "10s", "1m30s", "1h" → seconds (Kubernetes duration strings; fractions rounded). */
export function durationSeconds(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(h|m|s|ms)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const unit = { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2] as "h" | "m" | "s" | "ms"];
    total += Number(m[1]) * unit;
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? Math.round(total) : undefined;
}

function nodesMatching(nodes: readonly CalicoNodeInfo[], selector: string): CalicoNodeInfo[] {
  return nodes.filter((n) => selectorMatches(selector, n.labels));
}

/**
 * The peers this node's BIRD gets, in the Calico version's order: v3.31's template (mesh by host name, then
 * global, then node-specific, each by address) or v3.32's (every peer sorted by protocol name).
 */
export function peersOf(input: CalicoBirdInput): BirdPeer[] {
  const me = input.node;
  const asn = input.bgpConfiguration?.asNumber ?? DEFAULT_AS;
  const nodeIps = new Set(input.nodes.map((n) => n.address));
  const global = new Map<string, BirdPeer>();
  const local = new Map<string, BirdPeer>();
  const peers = [...input.peers].sort((a, b) => a.name.localeCompare(b.name));

  for (const globalPass of [true, false]) {
    for (const p of peers) {
      const isGlobal = !p.spec.node && !p.spec.nodeSelector;
      if (globalPass !== isGlobal) continue;
      const appliesHere = isGlobal
        ? true
        : p.spec.nodeSelector
          ? selectorMatches(p.spec.nodeSelector, me.labels)
          : p.spec.node === me.name;
      if (!appliesHere) continue;
      const targets: { ip: string; as: number; calicoNode: boolean }[] = p.spec.peerSelector
        ? nodesMatching(input.nodes, p.spec.peerSelector).map((n) => ({
            ip: n.address,
            as: asn,
            calicoNode: true,
          }))
        : p.spec.peerIP
          ? [{ ip: p.spec.peerIP, as: p.spec.asNumber ?? asn, calicoNode: nodeIps.has(p.spec.peerIP) }]
          : [];
      const keepalive = p.spec.keepaliveTime ? durationSeconds(p.spec.keepaliveTime) : undefined;
      for (const t of targets) {
        if (t.ip === me.address) continue; // "Skipping ourselves"
        // Node-specific peerings that duplicate a global one are not emitted.
        if (!globalPass && global.has(t.ip)) continue;
        const into = globalPass ? global : local;
        if (into.has(t.ip)) continue;
        into.set(t.ip, {
          kind: globalPass ? "Global" : "Node",
          ip: t.ip,
          asNumber: t.as,
          filters: p.spec.filters ?? [],
          calicoNode: t.calicoNode,
          ...(keepalive !== undefined ? { keepaliveSeconds: keepalive } : {}),
        });
      }
    }
  }
  // Reverse peerings: a BGPPeer whose peerSelector (or peerIP) names this node makes this node peer back
  // with the nodes its node/nodeSelector picks.
  for (const p of peers) {
    const targetsMe = p.spec.peerSelector
      ? selectorMatches(p.spec.peerSelector, me.labels)
      : p.spec.peerIP === me.address && (p.spec.asNumber ?? asn) === asn;
    if (!targetsMe) continue;
    const sources = p.spec.nodeSelector
      ? nodesMatching(input.nodes, p.spec.nodeSelector)
      : p.spec.node
        ? input.nodes.filter((n) => n.name === p.spec.node)
        : input.nodes;
    for (const n of sources) {
      if (n.address === me.address || global.has(n.address) || local.has(n.address)) continue;
      local.set(n.address, {
        kind: "Node",
        ip: n.address,
        asNumber: asn,
        filters: p.spec.filters ?? [],
        calicoNode: true,
      });
    }
  }

  const mesh: BirdPeer[] =
    (input.bgpConfiguration?.nodeToNodeMeshEnabled ?? true)
      ? input.nodes
          .filter((n) => n.address && n.address !== me.address)
          .map((n) => ({
            kind: "Mesh",
            ip: n.address,
            asNumber: asn,
            filters: [],
            calicoNode: true,
            nodeName: n.name,
          }))
      : [];
  const byIp = (a: BirdPeer, b: BirdPeer) => a.ip.localeCompare(b.ip);
  const all = [...mesh, ...global.values(), ...local.values()];
  if (input.birdOrder === "by-name") {
    const name = (p: BirdPeer) => calicoProtocolName(p.kind, p.ip);
    return all.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  }
  const byHost = (a: BirdPeer, b: BirdPeer) => (a.nodeName ?? a.ip).localeCompare(b.nodeName ?? b.ip);
  return [...mesh.sort(byHost), ...[...global.values()].sort(byIp), ...[...local.values()].sort(byIp)];
}

// ---------- service routes (confd routes.go + client.go updateGlobalRoutes) ----------

function ipInAny(ip: string, cidrs: readonly string[]): { any: boolean; single: boolean } {
  const addr = parseIp(ip);
  let any = false;
  let single = false;
  if (!addr) return { any, single };
  for (const c of cidrs) {
    const cidr = parseCidr(c);
    if (!cidr || cidr.family !== addr.family || !cidrContainsIp(cidr, addr)) continue;
    any = true;
    if (cidr.prefix === (cidr.family === 6 ? 128 : 32)) single = true;
  }
  return { any, single };
}

const hostRoute = (ip: string) => {
  const a = parseIp(ip);
  return a ? `${formatIp(a.family, a.value)}/${a.family === 6 ? 128 : 32}` : `${ip}/128`;
};

/**
 * Whether this node advertises the service's /128s (routes.go advertiseThisService). For eTP Local, `endpoints`
 * says which of the node's endpoints count: `ready` ones (v3.31.7) or `any` (v3.31.0-v3.31.6, v3.32.1).
 */
export function advertiseService(
  svc: ServiceInfo,
  slices: readonly EndpointSliceInfo[],
  nodeName: string,
  config: BgpConfigurationSpec,
  endpoints: CalicoModel["etpLocalEndpoints"] = "ready",
): boolean {
  if (!["ClusterIP", "NodePort", "LoadBalancer"].includes(svc.type ?? "ClusterIP")) return false;
  if (!svc.clusterIP || svc.clusterIP === "None") return false;
  const lbCidrs = (config.serviceLoadBalancerIPs ?? []).map((c) => c.cidr);
  const extCidrs = (config.serviceExternalIPs ?? []).map((c) => c.cidr);
  const etp =
    svc.externalTrafficPolicy ?? (svc.type === "LoadBalancer" || svc.type === "NodePort" ? "Cluster" : "");
  if (etp === "Cluster") {
    const lbIps = [svc.loadBalancerIP ?? "", ...(svc.ingressIPs ?? [])].filter(Boolean);
    if (svc.type === "LoadBalancer" && lbIps.some((ip) => ipInAny(ip, lbCidrs).single)) return true;
    if ((svc.externalIPs ?? []).some((ip) => ipInAny(ip, extCidrs).single)) return true;
    // Aggregation off: every node advertises the service's /128 once it has an endpoint anywhere.
    if (
      config.serviceLoadBalancerAggregation === "Disabled" &&
      svc.type === "LoadBalancer" &&
      lbIps.some((ip) => ipInAny(ip, lbCidrs).any)
    )
      return slices
        .filter((s) => s.namespace === svc.namespace && s.serviceName === svc.name)
        .some((s) => s.endpoints.length > 0);
  }
  if (etp !== "Local") return false;
  const v6 = svc.clusterIP.includes(":");
  return slices
    .filter((s) => s.namespace === svc.namespace && s.serviceName === svc.name)
    .some((s) =>
      s.endpoints.some(
        (e) =>
          e.nodeName === nodeName &&
          (endpoints === "any" || e.ready !== false) &&
          e.addresses.some((a) => a.includes(":") === v6),
      ),
    );
}

/** The /128s a service advertises when it is advertised (routes.go getAllRoutesForService). */
function serviceRoutes(svc: ServiceInfo, config: BgpConfigurationSpec): string[] {
  const routes: string[] = [];
  if ((config.serviceClusterIPs ?? []).length > 0 && svc.clusterIP) routes.push(svc.clusterIP);
  const extCidrs = (config.serviceExternalIPs ?? []).map((c) => c.cidr);
  for (const ip of svc.externalIPs ?? []) if (ipInAny(ip, extCidrs).any) routes.push(ip);
  const lbCidrs = (config.serviceLoadBalancerIPs ?? []).map((c) => c.cidr);
  for (const ip of svc.ingressIPs ?? []) if (ipInAny(ip, lbCidrs).any) routes.push(ip);
  return routes.map(hostRoute);
}

export interface ServiceAdvertisement {
  /** Static routes this node exports (/staticroutesv6). */
  routes: string[];
  /** CIDRs never programmed into the kernel (/rejectcidrsv6). */
  rejects: string[];
}

export function serviceAdvertisement(input: CalicoBirdInput): ServiceAdvertisement {
  const config = input.bgpConfiguration ?? {};
  const ranges = [
    ...(config.serviceClusterIPs ?? []),
    ...(config.serviceExternalIPs ?? []),
    ...(config.serviceLoadBalancerIPs ?? []),
  ].map((c) => c.cidr);
  const rejects = [...new Set(ranges)];
  if (input.node.labels[EXCLUDE_LB_LABEL] === "true") return { routes: [], rejects };
  // client.go updateGlobalRoutes: single addresses (/128, /32) are advertised per service by the route
  // generator, never as global routes; with serviceLoadBalancerAggregation Disabled neither are the LB CIDRs.
  const single = (c: string) => {
    const p = parseCidr(c);
    return p != null && p.prefix === (p.family === 6 ? 128 : 32);
  };
  const global = [
    ...(config.serviceClusterIPs ?? []).map((c) => c.cidr),
    ...(config.serviceExternalIPs ?? []).map((c) => c.cidr).filter((c) => !single(c)),
    ...(config.serviceLoadBalancerAggregation === "Disabled" ? [] : (config.serviceLoadBalancerIPs ?? []))
      .map((c) => c.cidr)
      .filter((c) => !single(c)),
  ];
  const routes = new Set(global);
  for (const svc of input.services) {
    if (!advertiseService(svc, input.endpointSlices, input.node.name, config, input.etpLocalEndpoints))
      continue;
    for (const r of serviceRoutes(svc, config)) routes.add(r);
  }
  return { routes: [...routes], rejects };
}

// ---------- the configuration text ----------

function explicitPeerBlock(me: CalicoBirdInput["node"], p: BirdPeer, input: CalicoBirdInput, asn: number) {
  const known = new Set(input.filters.map((f) => f.name));
  const withRules = (dir: "importV6" | "exportV6") =>
    p.filters.filter(
      (f) => known.has(f) && (input.filters.find((x) => x.name === f)?.spec[dir] ?? []).length > 0,
    );
  const importCalls = withRules("importV6").map((f) => `\n      ${filterFunctionName(f, "import")}();`);
  const exportCalls = withRules("exportV6").map((f) => `\n      ${filterFunctionName(f, "export")}();`);
  const lines = [
    `# For peer /bgp/v1/${p.kind === "Global" ? "global" : `host/${me.name}`}/peer_v6/${p.ip}`,
    `protocol bgp ${calicoProtocolName(p.kind, p.ip)} from bgp_template {`,
    "  ttl security off;",
    "  multihop;",
    `  neighbor ${p.ip} as ${p.asNumber};`,
    `  source address ${me.address};  # The local address we use for the TCP connection`,
    "  ipv6 {",
    `    import filter {${importCalls.join("")}`,
    `      accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import`,
    "    };",
    `    export filter {${exportCalls.join("")}`,
    `      calico_export_to_bgp_peers(${p.asNumber === asn});`,
    "      reject;",
    "    };  # Only want to export routes for workloads.",
    "  };",
  ];
  // Only global peers that are Calico nodes are made unidirectional by address; a node-specific peer is passive
  // only with passiveMode (not modelled), in v3.31's template and v3.32's bgp_processor.go alike.
  if (p.kind === "Global" && p.calicoNode && p.ip > me.address)
    lines.push("  passive on; # Peering is unidirectional, peer will connect to us.");
  if (p.keepaliveSeconds !== undefined) lines.push(`  keepalive time ${p.keepaliveSeconds};`);
  if (input.bfd && !p.calicoNode) lines.push("  bfd on;");
  lines.push("}");
  return lines.join("\n");
}

function meshBlock(me: CalicoBirdInput["node"], p: BirdPeer): string {
  // Calico makes the mesh unidirectional: the node with the higher address waits for the other.
  const passive =
    p.ip > me.address ? "\n  passive on; # Mesh is unidirectional, peer will connect to us." : "";
  return `# For peer /bgp/v1/host/${p.nodeName ?? p.ip}/ip_addr_v6
protocol bgp ${calicoProtocolName("Mesh", p.ip)} from bgp_template {
  neighbor ${p.ip} as ${p.asNumber};
  source address ${me.address};  # The local address we use for the TCP connection
  ipv6 {
    import all;        # Import all routes, since we don't know what the upstream
                       # topology is and therefore have to trust the ToR/RR.
    export filter {
      calico_export_to_bgp_peers(true);
      reject;
    };  # Only want to export routes for workloads.
  };${passive}
}`;
}

export function renderCalicoBird(input: CalicoBirdInput): string {
  const me = input.node;
  const asn = input.bgpConfiguration?.asNumber ?? DEFAULT_AS;
  const meshOn = input.bgpConfiguration?.nodeToNodeMeshEnabled ?? true;
  const peers = peersOf(input);
  const { routes, rejects } = serviceAdvertisement(input);
  const kernelRejects = [...new Set([...rejects, ...routes])];
  const protocols = peers.map((p) =>
    p.kind === "Mesh" ? meshBlock(me, p) : explicitPeerBlock(me, p, input, asn),
  );
  const ignored = (input.ignoredInterfaces ?? []).map((i) => `-"${i}", `).join("");
  const blocks = me.podBlocks;
  return `# Rendered by the k3s-ha lab's calico-node after Calico's confd templates (bird6.cfg, bird6_aggr.cfg,
# bird6_ipam.cfg) for node ${me.name}, in BIRD 2 syntax.
router id ${me.routerId};  # CALICO_ROUTER_ID: IPv6-only nodes have no IPv4 address to take it from
log "${input.logFile}" all;  # calico-node logs to stderr; a daemonised BIRD has none
timeformat protocol "%T" 72000 "%F";  # as calico-node's BIRD prints "Since": a time today, a date before

function apply_communities ()
{
}

# ------------- bird6_aggr.cfg -------------
protocol static {
  ipv6;
  # IP blocks for this host.
${blocks.map((b) => `  route ${b} blackhole;`).join("\n")}
}

# Service routes advertised from this node (BGPConfiguration serviceClusterIPs, serviceExternalIPs,
# serviceLoadBalancerIPs; per-service /128s as confd's route generator decides).
protocol static static_routes {
  ipv6;
${routes.map((c) => `  route ${c} blackhole;`).join("\n")}
}

function calico_aggr ()
{
${blocks.map((b) => `  # Block ${b} is confirmed\n  if ( net = ${b} ) then { accept; }\n  if ( net ~ ${b} ) then { reject; }`).join("\n")}
}

# ------------- bird6_ipam.cfg -------------
function reject_tunnel_routes () {
  if (defined(ifname)) then {
     if ((ifname ~ "*.cali") || (ifname ~ "*.calico")) then {
        reject;
     }
  }
}

function reject_local_routes () {
  if (defined(ifname)) then {
     if (ifname ~ "bpf*.cali") then {
        reject;
     }
  }
}

function reject_disabled_pools () {
}

function accept_enabled_pools () {
${input.ipPools.map((c) => `  if ( net ~ ${c} ) then { accept; }`).join("\n")}
}

function calico_export_to_bgp_peers (bool internal_peer) {
  reject_disabled_pools();
  if (internal_peer) then {
    reject_tunnel_routes();
  }
  reject_local_routes();
  apply_communities();
  calico_aggr();
  accept_enabled_pools();

  # Export static routes.
${routes.map((c) => `  if ( net ~ ${c} ) then { accept; }`).join("\n")}
}

# ------------- BGP Filters ------------------
${filterFunctions(input.filters).join("\n")}

filter calico_kernel_programming {
  # Don't program static routes into kernel.
${kernelRejects.map((c) => `  if ( net ~ ${c} ) then { reject; }`).join("\n")}
  accept;
}

# Configure synchronization between routing tables and kernel.
protocol kernel {
  learn;             # Learn all alien routes from the kernel
  persist;           # Don't remove routes on bird shutdown
  scan time 2;       # Scan kernel routing table every 2 seconds
  ipv6 {
    import all;
    export filter calico_kernel_programming; # Default is export none
  };
  graceful restart;
  merge paths on;    # Allow export multipath routes (ECMP)
}

# Watch interface up/down events.
protocol device {
  debug { states };
  scan time 2;    # Scan interfaces every 2 seconds
}

protocol direct {
  debug { states };
  ipv6;
  # BGPConfiguration ignoredInterfaces: ${JSON.stringify(input.ignoredInterfaces ?? [])}${(input.ignoredInterfaces ?? []).includes("lo") ? " — the lab's VIP sits on lo, where kube-proxy's would not." : ""}
  interface ${ignored}-"cali*", -"kube-ipvs*", "*";
}

# Not in Calico (projectcalico/calico#4607): the lab's BFD option, used only by explicit non-node peers with \`bfd on\`.
protocol bfd {
  multihop {
    min rx interval 100 ms;
    min tx interval 100 ms;
    multiplier 3;
  };
}

# Template for all BGP clients
template bgp bgp_template {
  debug { states };
  description "Connection to BGP peer";
  local as ${asn};
  ipv6 {
    gateway recursive; # This should be the default, but just in case.
    add paths on;
  };
  graceful restart;  # See comment in kernel section about graceful restart.
  connect delay time 2;
  connect retry time 5;
  error wait time 5,30;
}

${peerSections(input, peers, protocols, meshOn)}
`;
}

/** v3.31's template has a section per kind of peer; v3.32 emits one list sorted by name (headers: the lab's). */
function peerSections(
  input: CalicoBirdInput,
  peers: BirdPeer[],
  protocols: string[],
  meshOn: boolean,
): string {
  if (input.birdOrder === "by-name")
    return `# ------------- BGP peers (sorted by protocol name) -------------
${protocols.length ? protocols.join("\n\n") : "# No BGP peers configured."}${meshOn ? "" : "\n# Node-to-node mesh disabled"}`;
  const of = (kind: BirdPeer["kind"]) => protocols.filter((_, i) => peers[i]?.kind === kind);
  const [mesh, global, nodeSpecific] = [of("Mesh"), of("Global"), of("Node")];
  return `# ------------- Node-to-node mesh -------------
${meshOn ? mesh.join("\n\n") : "# Node-to-node mesh disabled"}

# ------------- Global peers -------------
${global.length ? global.join("\n\n") : "# No global peers configured."}

# ------------- Node-specific peers -------------
${nodeSpecific.length ? nodeSpecific.join("\n\n") : "# No node-specific peers configured."}`;
}
