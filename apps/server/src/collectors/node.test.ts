// The node collector over SSH: calicoctl's table (wrapped cells joined) into named peers with FRR's state names, and
// calico-node or bird6 not running read as what they are.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Plan, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SshPool } from "../plugins/ssh.js";
import { REPO } from "../test/harness.js";
import { hostOn, startSshServer, type TestSshServer } from "../test/ssh-server.js";
import { collectNode } from "./node.js";

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
      calicoRunning: true,
      bird6: "not-running",
      peers: [],
    });
    answer = { stdout: "", stderr: "Calico process is not running.\n", code: 1 };
    expect(await collectNode(p, plan, "node01", signal)).toEqual({
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
