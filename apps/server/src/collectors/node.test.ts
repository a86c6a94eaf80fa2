// The node collector over SSH: calicoctl's table (wrapped cells joined) into named peers with FRR's state names, and
// calico-node or bird6 not running read as what they are.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ClusterSnapshot, type Plan, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SshPool } from "../plugins/ssh.js";
import { REPO } from "../test/harness.js";
import { hostOn, startSshServer, type TestSshServer } from "../test/ssh-server.js";
import { collectNode, collectNodeView, nodeViewFromStatus } from "./node.js";
import { PartialRefresh } from "./poller.js";

const fixture = (scenario: string) =>
  readFileSync(
    join(
      REPO,
      `packages/shared/src/calico/fixtures/calicoctl-node-status.${scenario}.lab-standin-calico-v3.31.txt`,
    ),
    "utf8",
  );

let ssh: TestSshServer;
let answer: { stdout: string; stderr: string; code: number } = { stdout: "", stderr: "", code: 0 };
let plan: Plan;

beforeAll(async () => {
  ssh = await startSshServer((command, stream, done) => {
    if (command !== "sudo -n calicoctl node status") {
      stream.stderr.write(`unexpected ${command}\n`);
      return done(127);
    }
    stream.write(answer.stdout);
    stream.stderr.write(answer.stderr);
    done(answer.code);
  });
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  plan = r.plan;
});
afterAll(() => ssh.close());

function pool(): SshPool {
  const p = new SshPool();
  p.configure(new Map([["node01", hostOn(ssh, "node01", { kind: "node", sudo: true })]]));
  return p;
}
const signal = new AbortController().signal;

describe("node collector", () => {
  it("reads Calico's peers, named after the plan, with FRR's state names (a wrapped Passive cell joined)", async () => {
    answer = { stdout: fixture("peer-down-node01"), stderr: "", code: 0 };
    const p = pool();
    const snap = await collectNode(p, plan, "node01", signal);
    expect(snap).toMatchObject({ calicoRunning: true, bird6: "running" });
    expect(snap.peers.map((x) => [x.source, x.name, x.state])).toEqual([
      ["node:node01", "node02", "Idle"],
      ["node:node01", "node03", "Established"],
      ["node:node01", "router", "Established"],
    ]);
    p.close();
  });

  it("reads bird6 not running, and calico-node not running (calicoctl exits 1 with its message)", async () => {
    const p = pool();
    answer = { stdout: fixture("bird-killed-gr-node01"), stderr: "", code: 0 };
    expect(await collectNode(p, plan, "node01", signal)).toEqual({
      via: "calicoctl",
      calicoRunning: true,
      bird6: "not-running",
      peers: [],
    });
    answer = { stdout: "", stderr: "Calico process is not running.\n", code: 1 };
    expect(await collectNode(p, plan, "node01", signal)).toEqual({
      via: "calicoctl",
      calicoRunning: false,
      bird6: "not-running",
      peers: [],
    });
    answer = { stdout: "", stderr: "sudo: a password is required\n", code: 1 };
    await expect(collectNode(p, plan, "node01", signal)).rejects.toMatchObject({
      code: "PARSE_FAILED",
      message: expect.stringMatching(
        /calicoctl-node-status on node01: .*\(exit 1: sudo: a password is required\)/,
      ),
    });
    p.close();
  });
});

describe("node view from CalicoNodeStatus", () => {
  const snapshot = (lastUpdated?: string): ClusterSnapshot => ({
    resources: {},
    nodes: [],
    apiService: null,
    loadBalancerServices: [],
    metallb: {
      installed: false,
      controllers: [],
      speakers: [],
      pools: [],
      l2Advertisements: [],
      bgpAdvertisements: [],
      bgpPeers: [],
    },
    calico: {
      bgpConfigurations: [],
      bgpPeers: [],
      bgpFilters: [],
      nodeStatuses: [
        {
          name: "k3s-ha-node01",
          node: "node01",
          ...(lastUpdated ? { lastUpdated } : {}),
          birdReady: true,
          peers: [
            { address: "2001:db8:1162:79fb::1", type: "GlobalPeer", state: "Established" },
            { address: "2001:db8:1162:79fb::12", type: "NodeMesh", state: "Active" },
          ],
        },
      ],
    },
  });

  it("stands in when SSH fails, named after the plan, the SSH error kept on the source", async () => {
    const p = new SshPool(); // no hosts: node01 cannot be reached
    const r = await collectNodeView(p, plan, "node01", signal, snapshot("2026-12-01T10:00:00Z"));
    if (!(r instanceof PartialRefresh)) throw new Error("expected the CalicoNodeStatus fallback");
    expect(r.data).toMatchObject({
      via: "calico-node-status",
      asOf: "2026-12-01T10:00:00Z",
      bird6: "running",
    });
    expect(r.data.peers.map((x) => [x.name, x.state])).toEqual([
      ["router", "Established"],
      ["node02", "Active"],
    ]);
    expect(r.problem.code).toBe("HOST_UNREACHABLE");
    expect(r.problem.message).toContain("showing its CalicoNodeStatus of 2026-12-01T10:00:00Z");
    p.close();
  });

  it("without a filled CalicoNodeStatus the SSH error stands", async () => {
    const p = new SshPool();
    await expect(collectNodeView(p, plan, "node01", signal, snapshot())).rejects.toMatchObject({
      code: "HOST_UNREACHABLE",
    });
    expect(nodeViewFromStatus(plan, "node02", snapshot("2026-12-01T10:00:00Z"))).toBeUndefined();
    p.close();
  });
});
