// The calico-node renderer with concrete inputs: BGPFilters, peers and selectors, the mesh, service routes;
// every rendered configuration is parsed by the real BIRD (`bird -p`).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { labTopology, type NodeSpec } from "../topology.js";
import { staticCalicoInput } from "./inputs.js";
import {
  type CalicoBirdInput,
  durationSeconds,
  EXCLUDE_LB_LABEL,
  filterStatement,
  peersOf,
  renderCalicoBird,
  serviceAdvertisement,
} from "./render.js";
import { parseSelector } from "./selector.js";
import { desiredStatus, dueStatuses, parseBgpStates, parseBirdStatus } from "./status.js";
import { type CalicoVersion, calicoModel } from "./versions.js";

const t = labTopology("lab");
const node = (i: number): NodeSpec => {
  const n = t.nodes[i];
  if (!n) throw new Error(`no node ${i}`);
  return n;
};
const [n1, n2, n3] = [node(0), node(1), node(2)];
const dir = mkdtempSync(path.join(tmpdir(), "calico-render-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VIP = t.vip;
const ROUTER = t.router.address;

/** The `before` preset's objects for node01, with overrides. */
function input(overrides: Partial<CalicoBirdInput> = {}, on: NodeSpec = n1): CalicoBirdInput {
  const base = staticCalicoInput(t, on, false);
  return {
    ...base,
    nodes: t.nodes.map((n) => ({
      name: n.name,
      address: n.address,
      labels: { "kubernetes.io/hostname": n.name, ...(n === n3 ? { rack: "b" } : { rack: "a" }) },
    })),
    node: { ...base.node, labels: { "kubernetes.io/hostname": on.name, rack: on === n3 ? "b" : "a" } },
    bgpConfiguration: {
      asNumber: 65010,
      nodeToNodeMeshEnabled: true,
      serviceClusterIPs: [{ cidr: t.serviceCidr }],
    },
    peers: [{ name: "router", spec: { peerIP: ROUTER, asNumber: 65101 } }],
    filters: [],
    ...overrides,
  };
}

let files = 0;
/** Renders and asks BIRD to parse the result; returns the text. */
function render(i: CalicoBirdInput): string {
  const text = renderCalicoBird(i);
  const file = path.join(dir, `bird-${files++}.conf`);
  writeFileSync(file, text);
  try {
    execFileSync("bird", ["-p", "-c", file], { stdio: "pipe" });
  } catch (err) {
    const e = err as { stderr?: Buffer };
    throw new Error(`bird -p rejected ${file}: ${e.stderr?.toString() ?? String(err)}`);
  }
  return text;
}

/** The text of one `protocol bgp NAME` block. */
function block(text: string, name: string): string {
  const start = text.indexOf(`protocol bgp ${name} `);
  if (start < 0) return "";
  return text.slice(start, text.indexOf("\n}\n", start) + 2);
}

const routerProto = `Global_${ROUTER.replaceAll(":", "_")}`;
const staticRoutes = (text: string) =>
  (/protocol static static_routes \{\n {2}ipv6;\n([\s\S]*?)\n?\}/.exec(text)?.[1] ?? "")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.trim().replace(/^route (\S+) blackhole;$/, "$1"));

describe("renderCalicoBird: BGPFilters", () => {
  it("rejects the pod CIDR on the router peer: the filter function is called before Calico's export", () => {
    const text = render(
      input({
        filters: [
          {
            name: "no-pods",
            spec: { exportV6: [{ action: "Reject", matchOperator: "In", cidr: t.podCidr }] },
          },
        ],
        peers: [{ name: "router", spec: { peerIP: ROUTER, asNumber: 65101, filters: ["no-pods"] } }],
      }),
    );
    expect(text).toContain(
      `# v6 BGPFilter no-pods\nfunction 'bgp_no-pods_exportFilterV6'() {\n  if ((net ~ ${t.podCidr})) then { reject; }\n}`,
    );
    const peer = block(text, routerProto);
    expect(peer).toMatch(
      /export filter \{\n\s+'bgp_no-pods_exportFilterV6'\(\);\n\s+calico_export_to_bgp_peers\(false\);\n\s+reject;/,
    );
    // No import rules: no import function, import falls back to accept.
    expect(text).not.toContain("importFilterV6");
    expect(peer).toMatch(/import filter \{\n\s+accept;/);
    // Filters never apply to mesh sessions.
    expect(block(text, `Mesh_${n2.address.replaceAll(":", "_")}`)).not.toContain("bgp_no-pods");
  });

  it("renders NotIn, Equal, NotEqual and prefixLength as Calico's confd does", () => {
    expect(filterStatement({ action: "Accept", matchOperator: "NotIn", cidr: "2001:db8::/64" })).toBe(
      "if ((net !~ 2001:db8::/64)) then { accept; }",
    );
    expect(filterStatement({ action: "Reject", matchOperator: "Equal", cidr: "2001:db8::/64" })).toBe(
      "if ((net = 2001:db8::/64)) then { reject; }",
    );
    expect(filterStatement({ action: "Reject", matchOperator: "NotEqual", cidr: "2001:db8::/64" })).toBe(
      "if ((net != 2001:db8::/64)) then { reject; }",
    );
    expect(
      filterStatement({
        action: "Reject",
        matchOperator: "In",
        cidr: "2001:db8::/64",
        prefixLength: { min: 120 },
      }),
    ).toBe("if ((net ~ [ 2001:db8::/64{120,128} ])) then { reject; }");
    expect(
      filterStatement({
        action: "Accept",
        matchOperator: "In",
        cidr: "2001:db8::/64",
        prefixLength: { min: 32, max: 96 },
      }),
    ).toBe("if ((net ~ [ 2001:db8::/64{64,96} ])) then { accept; }");
    expect(filterStatement({ action: "Accept" })).toBe("accept;");
    // Routes learned from other BGP peers (the mesh), as Calico v3.32 renders `source: RemotePeers`.
    expect(
      filterStatement({
        action: "Reject",
        matchOperator: "In",
        cidr: "2001:db8::/112",
        source: "RemotePeers",
      }),
    ).toBe("if ((net ~ 2001:db8::/112)&&((defined(source))&&(source ~ [ RTS_BGP ]))) then { reject; }");
    expect(filterStatement({ action: "Accept", interface: "eth0" })).toBe(
      'if (((defined(ifname))&&(ifname ~ "eth0"))) then { accept; }',
    );
    expect(() => filterStatement({ action: "Maybe" })).toThrow(/unexpected action/);
  });

  it("renders import and export functions of several filters in order and BIRD parses them", () => {
    const text = render(
      input({
        filters: [
          {
            name: "lb-only",
            spec: {
              exportV6: [
                { action: "Accept", matchOperator: "Equal", cidr: t.loadBalancerCidr },
                { action: "Reject", matchOperator: "NotIn", cidr: t.loadBalancerCidr },
              ],
              importV6: [
                { action: "Reject", matchOperator: "In", cidr: "::/0", prefixLength: { min: 0, max: 0 } },
              ],
            },
          },
          {
            name: "deep",
            spec: {
              exportV6: [
                { action: "Reject", matchOperator: "In", cidr: t.podCidr, prefixLength: { min: 120 } },
              ],
            },
          },
        ],
        peers: [{ name: "router", spec: { peerIP: ROUTER, asNumber: 65101, filters: ["lb-only", "deep"] } }],
      }),
    );
    expect(text).toContain(`  if ((net = ${t.loadBalancerCidr})) then { accept; }`);
    expect(text).toContain(`  if ((net !~ ${t.loadBalancerCidr})) then { reject; }`);
    expect(text).toContain(`  if ((net ~ [ ${t.podCidr}{120,128} ])) then { reject; }`);
    expect(text).toContain("  if ((net ~ [ ::/0{0,0} ])) then { reject; }");
    const peer = block(text, routerProto);
    // Calls in the peer's filter order; import calls only for filters with importV6 rules.
    expect(peer).toMatch(
      /export filter \{\n\s+'bgp_lb-only_exportFilterV6'\(\);\n\s+'bgp_deep_exportFilterV6'\(\);\n\s+calico_export_to_bgp_peers/,
    );
    expect(peer).toMatch(/import filter \{\n\s+'bgp_lb-only_importFilterV6'\(\);\n\s+accept;/);
  });

  it("ignores a filter name with no BGPFilter object", () => {
    const text = render(
      input({ peers: [{ name: "router", spec: { peerIP: ROUTER, asNumber: 65101, filters: ["missing"] } }] }),
    );
    expect(text).toContain("# No v6 BGPFilters configured");
    expect(block(text, routerProto)).not.toContain("missing");
  });
});

describe("renderCalicoBird: peers", () => {
  it("peers with a nodeSelector only on the nodes it selects, as Node_ protocols", () => {
    const peers = [
      {
        name: "tor-b",
        spec: { peerIP: "2001:db8:1162:79fb::2", asNumber: 65102, nodeSelector: "rack == 'b'" },
      },
    ];
    const on1 = render(input({ peers }, n1));
    const on3 = render(input({ peers }, n3));
    expect(on1).not.toContain("Node_2001_db8_1162_79fb__2");
    expect(on1).toContain("# No node-specific peers configured.");
    const b = block(on3, "Node_2001_db8_1162_79fb__2");
    expect(b).toContain("neighbor 2001:db8:1162:79fb::2 as 65102;");
    expect(b).toContain(`source address ${n3.address};`);
    expect(on3).toContain("# No global peers configured.");
  });

  it("peers `node:` peers and selector language: has(), !=, &&, ||, all()", () => {
    const m = (s: string) => parseSelector(s)({ rack: "a", "kubernetes.io/hostname": "node01" });
    expect(m("all()")).toBe(true);
    expect(m("has(rack)")).toBe(true);
    expect(m("!has(rack)")).toBe(false);
    expect(m("rack == 'a' && kubernetes.io/hostname != 'node02'")).toBe(true);
    expect(m("rack == 'b' || has(zone)")).toBe(false);
    expect(m("(rack == 'b' || rack == \"a\") && has(kubernetes.io/hostname)")).toBe(true);
    expect(() => parseSelector("rack in {'a'}")).toThrow();
    const peers = [
      { name: "only-2", spec: { peerIP: "2001:db8:1162:79fb::3", asNumber: 65103, node: "node02" } },
    ];
    expect(peersOf(input({ peers }, n2)).map((p) => `${p.kind}:${p.ip}`)).toContain(
      "Node:2001:db8:1162:79fb::3",
    );
    expect(peersOf(input({ peers }, n1)).some((p) => p.ip === "2001:db8:1162:79fb::3")).toBe(false);
  });

  it("peers with other nodes by peerSelector, and renders keepaliveTime", () => {
    const peers = [
      { name: "router", spec: { peerIP: ROUTER, asNumber: 65101, keepaliveTime: "20s" } },
      { name: "rack-a", spec: { nodeSelector: "rack == 'a'", peerSelector: "rack == 'a'" } },
    ];
    const text = render(
      input({ peers, bgpConfiguration: { asNumber: 65010, nodeToNodeMeshEnabled: false } }, n1),
    );
    expect(text).toContain("# Node-to-node mesh disabled");
    const toN2 = block(text, `Node_${n2.address.replaceAll(":", "_")}`);
    expect(toN2).toContain(`neighbor ${n2.address} as 65010;`);
    expect(toN2).toContain("calico_export_to_bgp_peers(true);");
    // Automatic passive is for mesh and global peers only: a node-specific peer needs passiveMode (v3.31 and v3.32).
    expect(toN2).not.toContain("passive on;");
    expect(block(text, `Node_${n3.address.replaceAll(":", "_")}`)).toBe("");
    expect(block(text, routerProto)).toContain("keepalive time 20;");
    expect(durationSeconds("1m30s")).toBe(90);
    expect(durationSeconds("nonsense")).toBeUndefined();
  });

  it("orders the protocols as the Calico version does: v3.31 by section (Mesh_, Global_, Node_), v3.32 by name", () => {
    const peers = [
      { name: "router", spec: { peerIP: ROUTER, asNumber: 65101 } },
      { name: "to-n3", spec: { node: n1.name, peerIP: n3.address, asNumber: 65010 } },
    ];
    const protocolsOf = (text: string) => [...text.matchAll(/^protocol bgp (\S+) /gm)].map((m) => m[1] ?? "");
    const kinds = (order: "template" | "by-name") =>
      protocolsOf(render({ ...input({ peers }, n1), birdOrder: order })).map((p) => p.split("_")[0]);
    expect(kinds("template")).toEqual(["Mesh", "Mesh", "Global", "Node"]);
    expect(kinds("by-name")).toEqual(["Global", "Mesh", "Mesh", "Node"]);
    expect(calicoModel("v3.32.1").birdOrder).toBe("by-name");
    expect(calicoModel("v3.31.7").birdOrder).toBe("template");
    const meshOff = { asNumber: 65010, nodeToNodeMeshEnabled: false };
    const nodeKinds = protocolsOf(
      render({ ...input({ peers, bgpConfiguration: meshOff }, n1), birdOrder: "by-name" }),
    ).map((p) => p.split("_")[0]);
    expect(nodeKinds).toEqual(["Global", "Node"]);
  });

  it("meshes with every other node when on (passive toward higher addresses), and not at all when off", () => {
    const on = render(input({}, n2));
    expect(block(on, `Mesh_${n1.address.replaceAll(":", "_")}`)).not.toContain("passive on");
    expect(block(on, `Mesh_${n3.address.replaceAll(":", "_")}`)).toContain("passive on;");
    expect(block(on, `Mesh_${n2.address.replaceAll(":", "_")}`)).toBe("");
    const off = render(input({ bgpConfiguration: { asNumber: 65010, nodeToNodeMeshEnabled: false } }, n2));
    expect(off).not.toContain("protocol bgp Mesh_");
    expect(block(off, routerProto)).toContain("neighbor");
  });

  it("keeps the lab's BFD knob on the router peer only, and a default AS of 64512 without asNumber", () => {
    const text = render({ ...input({ bgpConfiguration: {} }), bfd: true });
    expect(block(text, routerProto)).toContain("bfd on;");
    expect(block(text, `Mesh_${n2.address.replaceAll(":", "_")}`)).not.toContain("bfd on");
    expect(text).toContain("local as 64512;");
  });
});

describe("renderCalicoBird: service advertisement", () => {
  const lbService = (etp: "Local" | "Cluster", ip = VIP) => ({
    namespace: "default",
    name: "kubernetes-api-vip",
    type: "LoadBalancer",
    clusterIP: t.serviceCidr.replace("::/112", "::99"),
    externalTrafficPolicy: etp,
    ingressIPs: [ip],
  });
  const slice = (eps: { nodeName?: string; ready?: boolean }[]) => ({
    namespace: "default",
    serviceName: "kubernetes-api-vip",
    endpoints: eps.map((e, i) => ({ addresses: [`${t.prefix.replace("::/64", "")}::${11 + i}`], ...e })),
  });
  const config = {
    asNumber: 65010,
    nodeToNodeMeshEnabled: true,
    serviceClusterIPs: [{ cidr: t.serviceCidr }],
    serviceLoadBalancerIPs: [{ cidr: t.loadBalancerCidr }],
  };

  it("advertises serviceClusterIPs / serviceLoadBalancerIPs CIDRs from every node", () => {
    for (const n of [n1, n2, n3]) {
      const text = render(input({ bgpConfiguration: config }, n));
      expect(staticRoutes(text)).toEqual([t.serviceCidr, t.loadBalancerCidr]);
      expect(text).toContain(`  if ( net ~ ${t.loadBalancerCidr} ) then { accept; }`);
      expect(text).toContain(`  if ( net ~ ${t.loadBalancerCidr} ) then { reject; }`);
    }
  });

  it("eTP Local: the LB /128 (and the ClusterIP /128) only from nodes with a ready local endpoint", () => {
    const svc = lbService("Local");
    const endpointSlices = [
      slice([
        { nodeName: "node01", ready: true },
        { nodeName: "node02", ready: false },
      ]),
    ];
    const on1 = staticRoutes(
      render(input({ bgpConfiguration: config, services: [svc], endpointSlices }, n1)),
    );
    const on2 = staticRoutes(
      render(input({ bgpConfiguration: config, services: [svc], endpointSlices }, n2)),
    );
    const on3 = staticRoutes(
      render(input({ bgpConfiguration: config, services: [svc], endpointSlices }, n3)),
    );
    expect(on1).toEqual([t.serviceCidr, t.loadBalancerCidr, `${svc.clusterIP}/128`, `${VIP}/128`]);
    expect(on2).toEqual([t.serviceCidr, t.loadBalancerCidr]); // not ready
    expect(on3).toEqual([t.serviceCidr, t.loadBalancerCidr]); // endpoint on another node only
    // An endpoint without nodeName is local to no node.
    const noNode = [slice([{ ready: true }])];
    expect(
      serviceAdvertisement(input({ bgpConfiguration: config, services: [svc], endpointSlices: noNode }, n1))
        .routes,
    ).not.toContain(`${VIP}/128`);
    // An LB IP outside serviceLoadBalancerIPs is never advertised.
    const outside = lbService("Local", t.serviceCidr.replace("::/112", "::77"));
    const r = serviceAdvertisement(
      input(
        { bgpConfiguration: config, services: [outside], endpointSlices: [slice([{ nodeName: "node01" }])] },
        n1,
      ),
    ).routes;
    expect(r).not.toContain(`${outside.ingressIPs[0]}/128`);
  });

  it("eTP Local on v3.32.1 / v3.31.3: a node whose endpoint is not ready still advertises the /128", () => {
    const svc = lbService("Local");
    const endpointSlices = [
      slice([
        { nodeName: "node01", ready: true },
        { nodeName: "node02", ready: false },
      ]),
    ];
    const routesOn = (n: typeof n1, version: CalicoVersion) =>
      staticRoutes(
        render({
          ...input({ bgpConfiguration: config, services: [svc], endpointSlices }, n),
          etpLocalEndpoints: calicoModel(version).etpLocalEndpoints,
        }),
      );
    for (const version of ["v3.32.1", "v3.31.3"] as const) {
      expect(routesOn(n2, version)).toContain(`${VIP}/128`); // the trap: apiserver down, VIP path kept
      expect(routesOn(n1, version)).toContain(`${VIP}/128`);
      expect(routesOn(n3, version)).not.toContain(`${VIP}/128`); // still no endpoint of its own
    }
    expect(routesOn(n2, "v3.31.7")).not.toContain(`${VIP}/128`);
    expect(routesOn(n1, "v3.31.7")).toContain(`${VIP}/128`);
  });

  it("eTP Cluster: only the CIDRs, unless serviceLoadBalancerIPs has the LB IP as a /128 (then from every node)", () => {
    const svc = lbService("Cluster");
    expect(serviceAdvertisement(input({ bgpConfiguration: config, services: [svc] }, n2)).routes).toEqual([
      t.serviceCidr,
      t.loadBalancerCidr,
    ]);
    const single = { ...config, serviceLoadBalancerIPs: [{ cidr: `${VIP}/128` }] };
    for (const n of [n1, n2, n3]) {
      const routes = staticRoutes(render(input({ bgpConfiguration: single, services: [svc] }, n)));
      expect(routes).toContain(`${VIP}/128`);
    }
  });

  it("a /128 entry in serviceLoadBalancerIPs/ExternalIPs is no global route: only services with that IP advertise it", () => {
    const single = {
      ...config,
      serviceLoadBalancerIPs: [{ cidr: `${VIP}/128` }],
      serviceExternalIPs: [{ cidr: "2001:db8:77::5/128" }],
    };
    // No service has the addresses: nothing but the service range is advertised (the stand-in used to send both).
    expect(serviceAdvertisement(input({ bgpConfiguration: single }, n2)).routes).toEqual([t.serviceCidr]);
    // …but the kernel still rejects them, as for every service range.
    expect(serviceAdvertisement(input({ bgpConfiguration: single }, n2)).rejects).toContain(`${VIP}/128`);
    const local = lbService("Local");
    const endpointSlices = [slice([{ nodeName: "node01", ready: true }])];
    const on = (n: typeof n1) =>
      serviceAdvertisement(input({ bgpConfiguration: single, services: [local], endpointSlices }, n)).routes;
    expect(on(n1)).toContain(`${VIP}/128`);
    expect(on(n2)).not.toContain(`${VIP}/128`);
  });

  it("serviceLoadBalancerAggregation Disabled: no LB CIDR, a /128 per eTP Cluster service with an endpoint, from every node", () => {
    const off = { ...config, serviceLoadBalancerAggregation: "Disabled" as const };
    const svc = lbService("Cluster");
    const withEndpoint = [slice([{ nodeName: "node03", ready: true }])];
    for (const n of [n1, n2, n3]) {
      const r = serviceAdvertisement(
        input({ bgpConfiguration: off, services: [svc], endpointSlices: withEndpoint }, n),
      );
      expect(r.routes).not.toContain(t.loadBalancerCidr);
      expect(r.routes).toContain(`${VIP}/128`);
    }
    const none = serviceAdvertisement(
      input({ bgpConfiguration: off, services: [svc], endpointSlices: [] }, n1),
    );
    expect(none.routes).not.toContain(`${VIP}/128`);
    expect(serviceAdvertisement(input({ bgpConfiguration: config, services: [svc] }, n1)).routes).toContain(
      t.loadBalancerCidr,
    );
  });

  it("advertises no service route at all from a node labelled exclude-from-external-load-balancers", () => {
    const svc = lbService("Local");
    const endpointSlices = [slice([{ nodeName: "node01", ready: true }])];
    const base = input({ bgpConfiguration: config, services: [svc], endpointSlices }, n1);
    const excluded = {
      ...base,
      node: { ...base.node, labels: { ...base.node.labels, [EXCLUDE_LB_LABEL]: "true" } },
    };
    const text = render(excluded);
    expect(staticRoutes(text)).toEqual([]);
    // …while the ranges stay out of its kernel table.
    expect(text).toContain(`  if ( net ~ ${t.loadBalancerCidr} ) then { reject; }`);
  });
});

describe("CalicoNodeStatus", () => {
  const peers = [
    {
      protocol: "Global_r",
      peerAddress: ROUTER,
      peerType: "global",
      state: "up",
      since: "10:00:00",
      info: "Established",
    },
    {
      protocol: "Mesh_n2",
      peerAddress: n2.address,
      peerType: "node-to-node mesh",
      state: "start",
      since: "10:00:00",
      info: "Passive Received: Administrative shutdown",
    },
  ];
  const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");

  it("takes each peer's state from `BGP state:` of `show protocols all`; Passive and Down are unknown ('')", () => {
    const states = parseBgpStates(
      fixture("lab-birdc-show-protocols-all.peer-down-node01.lab-bird-2.0.12.txt"),
    );
    expect(states.get("Mesh_2001_db8_1162_79fb__12")).toBe("Passive");
    expect(states.get("Global_2001_db8_1162_79fb__1")).toBe("Established");
    const status = desiredStatus(["BGP"], {
      peers,
      bgpStates: new Map([
        ["Global_r", "Established"],
        ["Mesh_n2", "Passive"],
      ]),
      bird6: {},
      bird4Running: true,
    });
    expect(status).toEqual({
      bgp: {
        numberEstablishedV4: 0,
        numberNotEstablishedV4: 0,
        numberEstablishedV6: 1,
        numberNotEstablishedV6: 1,
        peersV6: [
          { peerIP: ROUTER, type: "GlobalPeer", state: "Established", since: "10:00:00" },
          { peerIP: n2.address, type: "NodeMesh", state: "", since: "10:00:00" },
        ],
      },
    });
  });

  it("fills only the classes asked for, with the agent fields of `show status`", () => {
    const bird6 = parseBirdStatus(
      "BIRD 2.0.12\nRouter ID is 10.0.0.11\nCurrent server time is 2026-12-01 08:25:20.1\nLast reboot on 2026-12-01 08:25:07.512\nLast reconfiguration on 2026-12-01 08:25:09.003\nDaemon is up and running\n",
    );
    expect(bird6).toEqual({
      version: "v2.0.12-lab",
      routerID: "10.0.0.11",
      lastBootTime: "2026-12-01 08:25:07",
      lastReconfigurationTime: "2026-12-01 08:25:09",
    });
    const agentOnly = desiredStatus(["Agent"], {
      peers: undefined,
      bgpStates: new Map(),
      bird6,
      bird4Running: true,
    });
    expect(agentOnly).toEqual({
      agent: { birdV4: { state: "Ready", ...bird6 }, birdV6: { state: "NotReady" } },
    });
  });

  it("reports only objects made for this node, each on its own period, never when the period is 0", () => {
    const obj = (name: string, node: string, updatePeriodSeconds: number) => ({
      apiVersion: "crd.projectcalico.org/v1",
      kind: "CalicoNodeStatus",
      metadata: { name },
      spec: { node, classes: ["BGP"], updatePeriodSeconds },
    });
    const objects = [
      obj("a", "node01", 10),
      obj("b", "node02", 10),
      obj("off", "node01", 0),
      obj("fast", "node01", 1),
    ];
    const looked = new Map<string, number>();
    expect(dueStatuses(objects, "node01", looked, 100_000).map((o) => o.metadata.name)).toEqual([
      "a",
      "fast",
    ]);
    looked.set("a", 100_000);
    looked.set("fast", 100_000);
    expect(dueStatuses(objects, "node01", looked, 102_000).map((o) => o.metadata.name)).toEqual(["fast"]);
    expect(dueStatuses(objects, "node01", looked, 110_000).map((o) => o.metadata.name)).toEqual([
      "a",
      "fast",
    ]);
  });
});
