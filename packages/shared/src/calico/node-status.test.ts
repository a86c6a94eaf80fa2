// `calicoctl node status` on the lab stand-in's output (calicoctl's messages, tablewriter v0.0.5 with wrapping).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCalicoNodeStatus } from "./node-status.js";

const fixture = (name: string) =>
  readFileSync(
    new URL(`./fixtures/calicoctl-node-status.${name}.lab-standin-calico-v3.31.txt`, import.meta.url),
    "utf8",
  );
const ok = (stdout: string) => {
  const r = parseCalicoNodeStatus(stdout);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe("parseCalicoNodeStatus", () => {
  it("reads a healthy node: calico-node running, no IPv4 peers, three IPv6 peers established", () => {
    const s = ok(fixture("healthy-node01"));
    expect(s.calicoRunning).toBe(true);
    expect(s.ipv4).toEqual({ bird: "running", peers: [] });
    expect(s.ipv6?.bird).toBe("running");
    const peers = s.ipv6?.bird === "running" ? s.ipv6.peers : [];
    expect(peers.map((p) => [p.address, p.type, p.state])).toEqual([
      ["2001:db8:1162:79fb::12", "node-to-node mesh", "Established"],
      ["2001:db8:1162:79fb::13", "node-to-node mesh", "Established"],
      ["2001:db8:1162:79fb::1", "global", "Established"],
    ]);
  });

  it("joins cells tablewriter wrapped over two rows (Active Socket: Connection / refused; Passive Received…)", () => {
    const gr = ok(fixture("bird-killed-gr-node02"));
    const p = gr.ipv6?.bird === "running" ? gr.ipv6.peers[0] : undefined;
    expect(p).toEqual({
      address: "2001:db8:1162:79fb::11",
      type: "node-to-node mesh",
      birdState: "start",
      since: "08:25:37",
      info: "Active Socket: Connection refused",
      state: "Active",
    });
    const down = ok(fixture("peer-down-node01"));
    const passive = down.ipv6?.bird === "running" ? down.ipv6.peers[0] : undefined;
    expect(passive).toMatchObject({ info: "Passive Received: Administrative shutdown", state: "Idle" });
    expect(down.ipv6?.bird === "running" ? down.ipv6.peers : []).toHaveLength(3);
  });

  it("reads a node whose BIRD died (bird6 not running) and calico-node not running at all", () => {
    expect(ok(fixture("bird-killed-gr-node01")).ipv6).toEqual({ bird: "not-running", daemon: "bird6" });
    expect(ok("Calico process is not running.\n")).toEqual({ calicoRunning: false, noBgpBackend: false });
  });

  it("answers PARSE_FAILED for truncated tables, stray rows and output that is not calicoctl's", () => {
    const msg = (stdout: string) => {
      const r = parseCalicoNodeStatus(stdout);
      return r.ok ? "parsed" : r.error.message;
    };
    const healthy = fixture("healthy-node01");
    expect(msg(healthy.split("\n").slice(0, 11).join("\n"))).toMatch(/no bottom border/);
    expect(msg(healthy.replace("| up    |", "| up | x |"))).toMatch(/has 6 cells, the header 5/);
    expect(msg(healthy.replace("Established |", "Dreaming    |"))).toMatch(
      /unknown BIRD state in "Dreaming"/,
    );
    expect(msg("sudo: calicoctl: command not found\n")).toMatch(/neither/);
    expect(msg("Calico process is running.\n")).toMatch(/no IPv4 or IPv6 BGP status/);
  });
});
