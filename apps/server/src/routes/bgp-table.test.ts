// GET /api/bgp/table: the whole table read on demand over SSH (a synthesised 20,000-route FRR 10 table), filtered and
// capped on the server, one read for many viewers within 30 s; a router that cannot answer is a 502 with the reason.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bgpTableResponseSchema, syntheticBgpTable } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, LAB_PLAN, startHarness } from "../test/harness.js";
import { startSshServer, type TestSshServer } from "../test/ssh-server.js";

const TABLE = syntheticBgpTable(20_000);
let ssh: TestSshServer;
let h: Harness;
let broken = false;

beforeAll(async () => {
  ssh = await startSshServer((command, stream, done) => {
    if (broken || command !== "vtysh -c 'show bgp ipv6 unicast json'") {
      stream.stderr.write("% Unknown command\n");
      return done(1);
    }
    stream.write(TABLE);
    done(0);
  });
  h = await startHarness();
  writeFileSync(join(h.dir, "id_ed25519"), ssh.clientKey.private, { mode: 0o600 });
  const key = ssh.hostKey.public.split(" ").slice(0, 2).join(" ");
  const plan = readFileSync(LAB_PLAN, "utf8")
    .replace(
      /ssh: \{ user: root, port: 22, hostKey: "[^"]+", privateKeyFile: \.\/id_ed25519 \}/,
      `ssh: { user: root, port: ${ssh.port}, hostKey: "${key}", privateKeyFile: ./id_ed25519 }`,
    )
    .replace('address: "2001:db8:1162:79fb::1"\n', 'address: "127.0.0.1"\n');
  writeFileSync(h.planFile, plan);
  h.app.planSource.reload();
});
afterAll(async () => {
  await h?.close();
  await ssh?.close();
});

const get = (query = "") =>
  h.app.inject({
    method: "GET",
    url: `/api/bgp/table${query}`,
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });

describe("GET /api/bgp/table", () => {
  it("reads the whole table once for several viewers, caps what it sends and filters by prefix or node", async () => {
    const before = ssh.stats.commands.length;
    const [a, b] = await Promise.all([get(), get("?contains=2001:db8:0:1f::&limit=10")]);
    expect(a.statusCode, a.body).toBe(200);
    const all = bgpTableResponseSchema.parse(a.json());
    expect([all.totalRoutes, all.totalPaths, all.matched, all.routes.length]).toEqual([
      20_000, 60_000, 20_000, 1_000,
    ]);
    expect(all.routes[0]?.paths.map((p) => [p.node, p.best])).toEqual([
      ["node01", true],
      ["node02", false],
      ["node03", false],
    ]);
    const one = bgpTableResponseSchema.parse(b.json());
    expect(one.routes.map((r) => r.prefix)).toEqual(["2001:db8:0:1f::/64"]);
    expect(ssh.stats.commands.length - before).toBe(1);
    expect((await get("?limit=0")).statusCode).toBe(400);
  });

  it("answers 502 naming the reason when the router cannot give its table", async () => {
    broken = true;
    // The first app reuses its read for 30 s; a fresh console has none and must ask.
    const fresh = await startHarness({ planFile: h.planFile });
    try {
      const res = await fresh.app.inject({
        method: "GET",
        url: "/api/bgp/table",
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      expect(res.statusCode).toBe(502);
      expect(res.json()).toMatchObject({
        code: "ROUTER_UNAVAILABLE",
        message: expect.stringContaining("COMMAND_FAILED"),
      });
    } finally {
      broken = false;
      await fresh.close();
    }
  });
});
