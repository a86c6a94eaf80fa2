// The time axis' events from two digests: the VIP's FIB next hops lost and regained by node, a session's state,
// BFD, a node's Ready and cordon, the API Service's endpoint; nothing for an unchanged digest.
import { describe, expect, it } from "vitest";
import type { RouterSnapshot } from "../bgp/views.js";
import { type ClusterDigest, clusterEvents, routerDigest, routerEvents } from "./timeline.js";

const snap = (vipNodes: string[], state = "Established"): RouterSnapshot => ({
  peers: [{ source: "router", address: "2001:db8::12", name: "node02", state: state as "Established" }],
  routes: [
    {
      prefix: "2001:db8::ffff:0/112",
      paths: [],
      fib: { nextHops: [{ address: "2001:db8::11", node: "node01", active: true }] },
    },
    {
      prefix: "2001:db8::ffff:a/128",
      paths: [],
      fib: {
        nextHops: vipNodes.map((n) => ({ address: `2001:db8::${n.slice(-2)}`, node: n, active: true })),
      },
    },
  ],
});
const watch = { vip: "2001:db8::ffff:a", serviceCidr: "2001:db8::ffff:0/112" };

describe("timeline events", () => {
  it("names the node the VIP's path lost and regained, and a session's change", () => {
    const a = routerDigest(snap(["node01", "node02"]), watch);
    expect(a.paths).toEqual({
      "the VIP 2001:db8::ffff:a": ["node01", "node02"],
      "the service range 2001:db8::ffff:0/112": ["node01"],
    });
    const b = routerDigest(snap(["node01"], "Active"), watch);
    expect(routerEvents(a, b).map((e) => e.summary)).toEqual([
      "The router's path to the VIP 2001:db8::ffff:a lost node02 (now node01)",
      "BGP session with node02: Established → Active",
    ]);
    expect(routerEvents(b, routerDigest(snap(["node01", "node02"]), watch))[0]?.summary).toBe(
      "The router's path to the VIP 2001:db8::ffff:a gained node02 (now node01, node02)",
    );
    expect(routerEvents(a, a)).toEqual([]);
  });

  it("reports a node's Ready, cordon and the API endpoint's readiness", () => {
    const a: ClusterDigest = {
      nodes: { node02: { ready: "ready", unschedulable: false, excluded: false } },
      apiEndpoints: { node01: true, node02: true },
    };
    const b: ClusterDigest = {
      nodes: { node02: { ready: "not-ready", unschedulable: true, excluded: false } },
      apiEndpoints: { node01: true, node02: false },
    };
    expect(clusterEvents(a, b).map((e) => e.summary)).toEqual([
      "Node node02 is NotReady",
      "Node node02 is cordoned",
      "The API Service's endpoint on node02 is not ready",
    ]);
    expect(clusterEvents(undefined, b)).toEqual([]);
  });
});
