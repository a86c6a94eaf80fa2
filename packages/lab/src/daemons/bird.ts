// BIRD2 on each node, rendered the way Calico's confd renders bird6.cfg (protocol names, filters, graceful restart).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { output, run, waitFor } from "../exec.js";
import { calicoProtocolName, type LabTopology, type NodeSpec } from "../topology.js";

export const birdSocket = (node: NodeSpec) => path.join(node.dir, "bird", "bird.ctl");
export const birdPidFile = (node: NodeSpec) => path.join(node.dir, "bird", "bird.pid");
const birdConf = (node: NodeSpec) => path.join(node.dir, "bird", "bird.conf");
/** The BGPFilter the plan's `rejectPodRoutes` stands for, as Calico names its BIRD function. */
const POD_FILTER = "'bgp_reject-pod-routes_exportFilterV6'";

function peerBlock(t: LabTopology, node: NodeSpec, bfd: boolean): string {
  const r = t.router;
  return `# For peer /bgp/v1/global/peer_v6/${r.address}
protocol bgp ${calicoProtocolName("Global", r.address)} from bgp_template {
  ttl security off;
  multihop;
  neighbor ${r.address} as ${r.asn};
  source address ${node.address};  # The local address we use for the TCP connection
  ipv6 {
    import filter {
      accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
    };
    export filter {
      ${POD_FILTER}();
      calico_export_to_bgp_peers(false);
      reject;
    };  # Only want to export routes for workloads.
  };${bfd ? "\n  bfd on;" : ""}
}`;
}

function meshBlock(node: NodeSpec, other: NodeSpec, asn: number): string {
  // Calico makes the mesh unidirectional: the node with the higher address waits for the other.
  const passive =
    other.address > node.address ? "\n  passive on; # Mesh is unidirectional, peer will connect to us." : "";
  return `# For peer /bgp/v1/host/${other.name}/ip_addr_v6
protocol bgp ${calicoProtocolName("Mesh", other.address)} from bgp_template {
  neighbor ${other.address} as ${asn};
  source address ${node.address};  # The local address we use for the TCP connection
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

export function renderBirdConf(t: LabTopology, node: NodeSpec, bfd: boolean): string {
  const serviceRanges = [t.serviceCidr, t.loadBalancerCidr, `${t.vip}/128`];
  const mesh = t.nodes.filter((n) => n !== node).map((n) => meshBlock(node, n, t.clusterAsn));
  return `# Rendered by the k3s-ha lab after Calico's confd templates (bird6.cfg, bird6_aggr.cfg, bird6_ipam.cfg)
# for node ${node.name}, in BIRD 2 syntax.
router id ${node.routerId};  # CALICO_ROUTER_ID: IPv6-only nodes have no IPv4 address to take it from
log "${path.join(node.dir, "bird", "bird.log")}" all;  # calico-node logs to stderr; a daemonised BIRD has none
timeformat protocol "%T" 72000 "%F";  # as calico-node's BIRD prints "Since": a time today, a date before

function apply_communities ()
{
}

# ------------- bird6_aggr.cfg -------------
protocol static {
  ipv6;
  # IP blocks for this host.
  route ${node.podBlock} blackhole;
}

# Service ranges advertised from every node (BGPConfiguration serviceClusterIPs, serviceLoadBalancerIPs).
protocol static static_routes {
  ipv6;
${serviceRanges.map((c) => `  route ${c} blackhole;`).join("\n")}
}

function calico_aggr ()
{
  # Block ${node.podBlock} is confirmed
  if ( net = ${node.podBlock} ) then { accept; }
  if ( net ~ ${node.podBlock} ) then { reject; }
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
  if ( net ~ ${t.podCidr} ) then { accept; }
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
${serviceRanges.map((c) => `  if ( net ~ ${c} ) then { accept; }`).join("\n")}
}

# ------------- BGP Filters ------------------
# BGPFilter reject-pod-routes (exportV6: action Reject, matchOperator In, cidr ${t.podCidr})
function ${POD_FILTER}() {
  if ((net ~ ${t.podCidr})) then { reject; }
}

filter calico_kernel_programming {
  # Don't program static routes into kernel.
${serviceRanges.map((c) => `  if ( net ~ ${c} ) then { reject; }`).join("\n")}
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
  # BGPConfiguration ignoredInterfaces: ["lo"] — the lab's VIP sits on lo, where kube-proxy's would not.
  interface -"lo", -"cali*", -"kube-ipvs*", "*";
}

# Not in Calico (projectcalico/calico#4607): the lab's BFD option, used only by the Global peer with \`bfd on\`.
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
  local as ${t.clusterAsn};
  ipv6 {
    gateway recursive; # This should be the default, but just in case.
    add paths on;
  };
  graceful restart;  # See comment in kernel section about graceful restart.
  connect delay time 2;
  connect retry time 5;
  error wait time 5,30;
}

# ------------- Node-to-node mesh -------------
${mesh.join("\n\n")}

# ------------- Global peers -------------
${peerBlock(t, node, bfd)}
`;
}

export function birdc(node: NodeSpec, command: string, ns = node.ns): Promise<string> {
  return output("birdc", ["-s", birdSocket(node), ...command.split(" ")], { ns, timeoutMs: 5_000 });
}

export async function writeBirdConf(t: LabTopology, node: NodeSpec, bfd: boolean): Promise<void> {
  await mkdir(path.dirname(birdConf(node)), { recursive: true });
  await writeFile(birdConf(node), renderBirdConf(t, node, bfd));
}

export async function startBird(t: LabTopology, node: NodeSpec, bfd: boolean): Promise<void> {
  await writeBirdConf(t, node, bfd);
  await run("bird", ["-c", birdConf(node), "-s", birdSocket(node), "-P", birdPidFile(node)], { ns: node.ns });
  // BIRD exits 0 even on a fatal config error (e.g. no router id): ask it whether it is up.
  await waitFor(
    `BIRD on ${node.name}`,
    async () => ((await birdc(node, "show status")).includes("Daemon is up") ? true : undefined),
    {
      timeoutMs: 5_000,
      intervalMs: 50,
    },
  );
}

/** Re-reads bird.conf (e.g. after switching BFD). */
export async function reconfigureBird(t: LabTopology, node: NodeSpec, bfd: boolean): Promise<void> {
  await writeBirdConf(t, node, bfd);
  await birdc(node, "configure");
}
