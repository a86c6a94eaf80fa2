// The lab's wiring: router bridge, node and client links, the host's one veth and route, VIP on each node's lo.
import { ipBatch, run } from "./exec.js";
import { addNamespace, deleteNamespace, linkExists } from "./netns.js";
import { type LabTopology, namespaces } from "./topology.js";

/** IPv6 without surprises in every lab namespace: no DAD delay, no RAs, addresses kept when a link goes down. */
const NS_SYSCTLS = {
  "net.ipv6.conf.all.accept_dad": 0,
  "net.ipv6.conf.default.accept_dad": 0,
  "net.ipv6.conf.all.accept_ra": 0,
  "net.ipv6.conf.default.accept_ra": 0,
  "net.ipv6.conf.all.keep_addr_on_down": 1,
  "net.ipv6.conf.default.keep_addr_on_down": 1,
};

async function createNamespaces(t: LabTopology): Promise<void> {
  await Promise.all([
    addNamespace(t.router.ns, { ...NS_SYSCTLS, "net.ipv6.conf.all.forwarding": 1 }),
    ...t.nodes.map((n) => addNamespace(n.ns, NS_SYSCTLS)),
    // Sticky ECMP hashing like pfSense/FreeBSD or hardware: no new flow label after a SYN timeout.
    addNamespace(t.client.ns, { ...NS_SYSCTLS, "net.core.txrehash": 0 }),
  ]);
}

async function wireRouter(t: LabTopology): Promise<void> {
  const r = t.router;
  const lines = [
    "link set lo up",
    "link add br0 type bridge",
    "link set br0 up",
    `addr add ${r.address}/64 dev br0 nodad`,
    `addr add ${r.linkLocal}/64 dev br0 nodad`,
  ];
  await ipBatch(lines, r.ns);
  // The host and the client are LAN hosts of the /64 behind the router: it answers neighbour discovery for them.
  await run("sysctl", ["-qw", "net.ipv6.conf.br0.proxy_ndp=1"], { ns: r.ns });
}

async function wireNodes(t: LabTopology): Promise<void> {
  const r = t.router;
  // Links are created straight into their namespaces (no interface ever appears in the root namespace).
  await ipBatch(
    t.nodes.map((n) => `link add name eth0 netns ${n.ns} type veth peer name ${n.bridgePort} netns ${r.ns}`),
  );
  await ipBatch(
    t.nodes.map((n) => `link set ${n.bridgePort} master br0 up`),
    r.ns,
  );
  await Promise.all(
    t.nodes.map((n) =>
      ipBatch(
        [
          "link set lo up",
          `addr add ${t.vip}/128 dev lo`,
          "link set eth0 up",
          `addr add ${n.address}/64 dev eth0 nodad`,
          `route add default via ${r.linkLocal} dev eth0`,
        ],
        n.ns,
      ),
    ),
  );
}

async function wireClient(t: LabTopology): Promise<void> {
  const r = t.router;
  const c = t.client;
  await ipBatch([`link add name eth0 netns ${c.ns} type veth peer name ${c.routerPort} netns ${r.ns}`]);
  await ipBatch(
    [
      `link set ${c.routerPort} up`,
      `addr add ${r.linkLocal}/64 dev ${c.routerPort} nodad`,
      `route add ${c.address}/128 dev ${c.routerPort}`,
      `neigh add proxy ${c.address} dev br0`,
    ],
    r.ns,
  );
  await ipBatch(
    [
      "link set lo up",
      "link set eth0 up",
      `addr add ${c.address}/128 dev eth0 nodad`,
      `route add default via ${r.linkLocal} dev eth0`,
    ],
    c.ns,
  );
}

/** The root namespace gets exactly one veth with one /128 (no link-local, no prefix route) and one route. */
async function wireHost(t: LabTopology): Promise<void> {
  const r = t.router;
  const h = t.host;
  await ipBatch([`link add name ${h.veth} type veth peer name ${h.routerPort} netns ${r.ns}`]);
  const conf = `net.ipv6.conf.${h.veth}`;
  await run("sysctl", ["-qw", `${conf}.addr_gen_mode=1`, `${conf}.accept_ra=0`, `${conf}.accept_dad=0`]);
  await ipBatch(
    [
      `link set ${h.routerPort} up`,
      `addr add ${r.linkLocal}/64 dev ${h.routerPort} nodad`,
      `route add ${h.address}/128 dev ${h.routerPort}`,
      `neigh add proxy ${h.address} dev br0`,
    ],
    r.ns,
  );
  await ipBatch([
    `link set ${h.veth} up`,
    `addr add ${h.address}/128 dev ${h.veth} nodad noprefixroute`,
    `route add ${t.prefix} via ${r.linkLocal} dev ${h.veth} src ${h.address}`,
  ]);
}

export async function buildNetwork(t: LabTopology): Promise<void> {
  await createNamespaces(t);
  await wireRouter(t);
  await wireNodes(t);
  await wireClient(t);
  await wireHost(t);
}

/** Deleting the namespaces deletes every link in them (and the host veth's peer, hence the veth). */
export async function removeNetwork(t: LabTopology): Promise<void> {
  await Promise.all(namespaces(t).map((ns) => deleteNamespace(ns)));
  if (await linkExists(t.host.veth)) await run("ip", ["link", "delete", t.host.veth], { allowFail: true });
}
