// The guided setup against a lab of real daemons (root) from `--preset before`, the design document's starting
// point: every option 1 step previews, applies and verifies; afterwards the route-policy audit is green, the router
// has the VIP /128 from each server, the objects match what the lab's `vip` preset writes, re-applying changes
// nothing, and graceful maintenance costs no new connection through the VIP. Undo in reverse brings `before` back.
// Option 2 then: the round-robin records, the drop-in again, the kubeconfig and the join endpoint — matching what the
// lab's `dns` preset writes.

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyPreset,
  CALICO,
  digAnswer,
  installLabCrds,
  k3sConfigDropinDir,
  labTopology,
  PRESET_NAMES,
  planFile,
  presetDnsNames,
  presetK3sSettings,
  R,
  startCluster,
  uniqueLabName,
} from "@k3s-ha/lab";
import {
  bestRouteFor,
  type ClusterSnapshot,
  commands,
  type RouterSnapshot,
  type SetupActionResult,
  type SetupPreview,
  type SetupStepId,
  setupActionResultSchema,
  setupPreviewSchema,
  setupStepsResponseSchema,
} from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../test/harness.js";
import {
  auth,
  type LabConsole,
  runToEnd,
  spawnConsole,
  startLabConsole,
  stopLabConsole,
  until,
} from "../../test/lab-console.js";

const name = uniqueLabName("setup");
let lab: LabConsole;
let t: LabConsole["t"];
let h: Harness;

async function post(url: string, payload: unknown = {}) {
  return h.app.inject({ method: "POST", url, headers: auth, payload: payload as Record<string, unknown> });
}

async function preview(id: SetupStepId): Promise<SetupPreview> {
  const r = await post(`/api/setup/steps/${id}/preview`);
  expect(r.statusCode, r.body).toBe(200);
  return setupPreviewSchema.parse(r.json());
}

async function act(id: SetupStepId, action: "apply" | "verify" | "undo"): Promise<SetupActionResult> {
  const r = await post(`/api/setup/steps/${id}/${action}`, action === "verify" ? {} : { confirm: true });
  expect(r.statusCode, r.body).toBe(200);
  const out = setupActionResultSchema.parse(r.json());
  const failing = out.checks.filter((c) => !c.ok && c.severity === "error");
  expect(
    out.ok,
    `${id} ${action}: ${out.message} ${failing.map((c) => `${c.id}: ${c.evidence}`).join("; ")}`,
  ).toBe(true);
  return out;
}

async function statuses(option: "vip" | "dns") {
  const r = await h.app.inject({ method: "GET", url: `/api/setup/steps?option=${option}`, headers: auth });
  return Object.fromEntries(setupStepsResponseSchema.parse(r.json()).steps.map((s) => [s.id, s.status]));
}

const OPTION_1: SetupStepId[] = [
  "metallb",
  "pool",
  "bgp-config",
  "bgp-filter",
  "router",
  "apiserver-config",
  "api-service",
  "dns-vip",
];

type Specced = { spec?: Record<string, unknown> };
const crd = (r: { resource: string }) => `/apis/crd.projectcalico.org/v1/${r.resource}`;

/** A reference API holding what the lab's `preset` writes, and a GET of the lab's own API as the console reads it. */
async function withPreset(
  preset: "vip" | "dns",
  check: (ref: Parameters<typeof applyPreset>[0], get: (path: string) => Promise<Specced>) => Promise<void>,
): Promise<void> {
  const ref = await startCluster(1);
  try {
    const c = ref.servers[0]?.kube.client;
    if (!c) throw new Error("no reference API");
    installLabCrds(c, { calico: "v3.31.7", metallb: false });
    applyPreset(c, t, preset);
    const access = await h.app.kube.access();
    await check(c, async (path) => (await access.getJson(path, { verb: "get", resource: path })) as Specced);
  } finally {
    ref.stop();
  }
}

/** Every name the preset's tls-san lists is on each server's certificate, and anonymous /readyz works on each. */
async function expectHostsMatch(preset: "vip" | "dns"): Promise<void> {
  const settings = presetK3sSettings(t, preset);
  const checks = (await h.app.setup.verify("apiserver-config", "test")).checks;
  expect(checks.filter((x) => !x.ok)).toEqual([]);
  for (const node of t.nodes)
    for (const n of settings.tlsSan)
      expect(checks.find((x) => x.id === `sans-${node.name}`)?.evidence).toContain(n);
  expect(settings.authConfig).toBe(true);
  for (const node of t.nodes)
    expect(checks.find((x) => x.id === `anonymous-readyz-${node.name}`)?.ok).toBe(true);
}

beforeAll(async () => {
  lab = await startLabConsole(
    name,
    { preset: "before", fastControllers: true },
    { dns: true, converged: { prefixes: [labTopology(name).serviceCidr] } },
  );
  ({ t, h } = lab);
}, 240_000);

afterAll(() => stopLabConsole(lab, name), 60_000);

describe(`the guided setup on a lab (${name})`, () => {
  it("starts from the document's situation: nothing of option 1 is there", async () => {
    const s = await statuses("vip");
    for (const id of OPTION_1) expect(s[id], id).toBe("not-started");
    // Pod routes reach the router before the filter: the audit says so.
    await h.app.collectors.router.pollNow();
    const audit = await h.app.inject({ method: "GET", url: "/api/route-audit", headers: auth });
    const checks = (audit.json() as { checks: { id: string; status: string }[] }).checks;
    expect(checks.find((c) => c.id === "no-pod-routes")?.status).toBe("fail");
  });

  it("applies every option 1 step from preview to verified", async () => {
    await act("preflight", "verify");
    for (const id of OPTION_1) {
      const p = await preview(id);
      expect(p.refusals, id).toEqual([]);
      expect(p.satisfied, id).toBe(false);
      for (const c of p.changes.filter(
        (x) => x.kind === "kubernetes" && x.action !== "skip" && x.action !== "unchanged",
      ))
        expect(c.dryRun?.ok, `${id}: ${c.object}: ${c.dryRun?.message}`).toBe(true);
      const done = await act(id, "apply");
      expect(done.step.status, `${id}: ${done.message}`).toBe("verified");
    }
    await act("kubeconfig", "verify");
  });

  it("leaves the route-policy audit green and the VIP /128 from each server on the router", async () => {
    await h.app.collectors.router.pollNow();
    const audit = await h.app.inject({ method: "GET", url: "/api/route-audit", headers: auth });
    const failing = (
      audit.json() as { checks: { id: string; status: string; severity: string; message: string }[] }
    ).checks.filter((c) => c.severity === "error" && c.status !== "pass");
    expect(failing).toEqual([]);
    const route = bestRouteFor(h.app.hub.source<RouterSnapshot>("router")?.data?.routes ?? [], t.vip);
    const nodes = new Set(route?.paths.filter((p) => p.valid).map((p) => p.node));
    expect([...nodes].sort()).toEqual(["node01", "node02", "node03"]);
    expect(route?.fib.nextHops.filter((n) => n.active)).toHaveLength(3);
  });

  it("reaches what the lab's vip preset writes", async () => {
    await withPreset("vip", async (c, get) => {
      const filter = await get(`${crd(CALICO.bgpFilters)}/${PRESET_NAMES.bgpFilter}`);
      expect(filter.spec).toEqual(c.get(CALICO.bgpFilters, undefined, PRESET_NAMES.bgpFilter)?.spec);
      const peer = await get(`${crd(CALICO.bgpPeers)}/${PRESET_NAMES.bgpPeer}`);
      expect(peer.spec).toMatchObject(c.get(CALICO.bgpPeers, undefined, PRESET_NAMES.bgpPeer)?.spec ?? {});
      const cfg = await get(`${crd(CALICO.bgpConfigurations)}/default`);
      expect(cfg.spec).toMatchObject(c.get(CALICO.bgpConfigurations, undefined, "default")?.spec ?? {});
      const pool = await get(
        `/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/${PRESET_NAMES.pool}`,
      );
      expect(pool.spec).toEqual(c.get(R.ipAddressPools, "metallb-system", PRESET_NAMES.pool)?.spec);
      const svc = await get(`/api/v1/namespaces/${PRESET_NAMES.namespace}/services/${PRESET_NAMES.service}`);
      const want = c.get(R.services, PRESET_NAMES.namespace, PRESET_NAMES.service)?.spec as Record<
        string,
        unknown
      >;
      for (const k of ["type", "externalTrafficPolicy", "ipFamilies", "ipFamilyPolicy", "selector"])
        expect(svc.spec?.[k], k).toEqual(want[k]);
      const ds = await get(
        `/apis/apps/v1/namespaces/${PRESET_NAMES.namespace}/daemonsets/${PRESET_NAMES.daemonSet}`,
      );
      type PodTemplate = { hostNetwork: boolean; containers: { image: string; readinessProbe: unknown }[] };
      const probe = (o: unknown): PodTemplate => {
        const spec = (o as { spec?: { template?: { spec?: PodTemplate } } } | undefined)?.spec;
        if (!spec?.template?.spec) throw new Error("no pod template");
        return spec.template.spec;
      };
      const mine = probe(ds);
      const theirs = probe(c.get(R.daemonsets, PRESET_NAMES.namespace, PRESET_NAMES.daemonSet));
      expect(mine.hostNetwork).toBe(theirs.hostNetwork);
      expect(mine.containers[0]?.image).toBe(theirs.containers[0]?.image);
      expect(mine.containers[0]?.readinessProbe).toEqual(theirs.containers[0]?.readinessProbe);
    });
    await expectHostsMatch("vip");
  });

  it("changes nothing when every step is applied again", async () => {
    for (const id of OPTION_1) {
      const again = await act(id, "apply");
      expect(again.message, id).toBe("nothing to change");
      expect(again.step.status, id).toBe("verified");
    }
  });

  it("a graceful-maintenance run on node03 loses no new connection through the VIP", async () => {
    const run = await runToEnd(
      h.app,
      {
        scenario: "graceful-maintenance",
        node: "node03",
        endpoints: ["vip"],
        durationS: 40,
        faultS: 8,
      },
      150_000,
    );
    expect(run.state, run.error ?? "").toBe("done");
    expect(run.results.find((r) => r.endpoint === "vip" && r.mode === "new")?.failures).toBe(0);
  });

  it("undoes option 1 in reverse, back to the document's situation", async () => {
    for (const id of [
      "dns-vip",
      "api-service",
      "apiserver-config",
      "bgp-filter",
      "bgp-config",
      "pool",
      "metallb",
    ] as const) {
      const r = await act(id, "undo");
      expect(r.step.status, `${id}: ${r.message}`).toBe("not-started");
    }
    const access = await h.app.kube.access();
    await expect(
      access.getJson("/apis/metallb.io/v1beta1", { verb: "get", resource: "metallb" }),
    ).rejects.toMatchObject({ status: 404 });
    const cfg = (await access.getJson(`/apis/crd.projectcalico.org/v1/bgpconfigurations/default`, {
      verb: "get",
      resource: "x",
    })) as {
      spec: Record<string, unknown>;
    };
    expect(cfg.spec.serviceLoadBalancerIPs).toBeUndefined();
    expect(cfg.spec.serviceClusterIPs).toEqual([{ cidr: t.serviceCidr }]);
  });

  it("option 2: the round-robin records, the API server configuration, the kubeconfig and the join endpoint", async () => {
    for (const id of ["dns-round-robin", "apiserver-config"] as const) {
      const done = await act(id, "apply");
      expect(done.step.status, `${id}: ${done.message}`).toBe("verified");
    }
    await act("kubeconfig", "verify");
    await act("join-command", "verify");
    const s = await statuses("dns");
    expect(s).toMatchObject({
      preflight: "verified",
      "dns-round-robin": "verified",
      "apiserver-config": "verified",
      kubeconfig: "verified",
      "join-command": "verified",
    });
    const dl = await post("/api/setup/kubeconfig", { endpoint: "round-robin", confirm: true });
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toContain(`server: https://${t.dns.roundRobinName}:6443`);
  });

  it("option 2 reaches what the lab's dns preset writes", async () => {
    // DNS: the round-robin name has one AAAA per server at the plan's TTL, as the preset publishes; the VIP name
    // is as undo left it (the preset publishes none).
    const published = presetDnsNames("dns");
    const rr = await digAnswer(t, "AAAA", `${t.dns.roundRobinName}.`);
    expect(published.roundRobin).toBe(true);
    expect(rr.map((r) => r.data).sort()).toEqual(t.nodes.map((n) => n.address).sort());
    expect([...new Set(rr.map((r) => r.ttl))]).toEqual([t.dns.ttl]);
    expect(published.vipName).toBe(false);
    expect(await digAnswer(t, "AAAA", `${t.dns.vipName}.`)).toEqual([]);
    // Calico: what the preset writes on a reference API — no filter on the peer, no LoadBalancer range advertised.
    await withPreset("dns", async (c, get) => {
      const cfg = await get(`${crd(CALICO.bgpConfigurations)}/default`);
      expect(cfg.spec).toEqual(c.get(CALICO.bgpConfigurations, undefined, "default")?.spec);
      const peer = await get(`${crd(CALICO.bgpPeers)}/${PRESET_NAMES.bgpPeer}`);
      expect(peer.spec).toMatchObject(c.get(CALICO.bgpPeers, undefined, PRESET_NAMES.bgpPeer)?.spec ?? {});
      expect(peer.spec?.filters ?? []).toEqual([]);
      await expect(get(`${crd(CALICO.bgpFilters)}/${PRESET_NAMES.bgpFilter}`)).rejects.toMatchObject({
        status: 404,
      });
    });
    await expectHostsMatch("dns");
  });

  it("option 2's failover: a stopped server costs a client of the round-robin name next to nothing", async () => {
    const run = await runToEnd(
      h.app,
      {
        scenario: "stop-k3s",
        node: "node03",
        endpoints: ["round-robin"],
        dial: "go",
        durationS: 20,
        faultS: 6,
      },
      120_000,
    );
    expect(run.state, run.error ?? "").toBe("done");
    // k3s stopped: node03 refuses, and Go's dialer moves on to the next address in the same dial. Probes caught
    // while k3s shuts down may still fail (seen: up to half a second), never anything like node03's own outage.
    const rr = run.results.find((r) => r.endpoint === "round-robin" && r.mode === "new");
    const own = run.results.find((r) => r.endpoint === "node:node03" && r.mode === "new");
    expect(own?.downtimeMs ?? 0).toBeGreaterThan(3_000);
    expect(rr?.downtimeMs ?? Number.POSITIVE_INFINITY).toBeLessThan((own?.downtimeMs ?? 0) / 4);
  });

  it("an apply cut off by a killed console is reported at the next start, with what it did, and finishes when applied again", async () => {
    await act("apiserver-config", "undo");
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-ha-setup-killed-"));
    let child: ChildProcess | undefined;
    try {
      const spawned = await spawnConsole(planFile(t), dataDir);
      child = spawned.child;
      const base = spawned.base;
      const call = (path: string, body?: unknown) =>
        fetch(`${base}${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: { ...auth, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      // Its own database: the preflight first (it waits for the cluster to be read).
      await until("the preflight to pass", async () => {
        const r = await call("/api/setup/steps/preflight/verify", {}).catch(() => undefined);
        return r?.ok && ((await r.json()) as { ok: boolean }).ok ? true : undefined;
      });
      void call("/api/setup/steps/apiserver-config/apply", { confirm: true }).catch(() => undefined);
      await until(
        "node01 restarted with the drop-in",
        async () => {
          const r = await call("/api/setup/steps/apiserver-config").catch(() => undefined);
          const step = r?.ok ? ((await r.json()) as { progress?: string[] }) : undefined;
          return step?.progress?.some((l) => l.startsWith("restarted k3s on node01")) ? true : undefined;
        },
        120_000,
      );
      child.kill("SIGKILL");
      await new Promise((r) => child?.once("exit", r));
      const next = await startHarness({ planFile: planFile(t), dataDir });
      try {
        await next.app.collectors.cluster.start();
        const step = await next.app.setup.step("apiserver-config");
        expect(step.status).toBe("failed");
        expect(step.last?.message).toContain("interrupted: the console stopped during this apply");
        expect(step.last?.message).toContain("restarted k3s on node01");
        expect(
          next.app.store.auditEntries(10).some((e) => e.action === "setup.apply" && e.outcome === "failed"),
        ).toBe(true);
        // No silent partial state: the preview says node01 is done and what is left.
        const p = await next.app.setup.preview("apiserver-config");
        expect(p.changes.find((c) => c.target === "node:node01")?.action).toBe("unchanged");
        expect(p.changes.filter((c) => c.action !== "unchanged").length).toBeGreaterThan(0);
        await until("the cluster to be read", async () =>
          next.app.hub.source<ClusterSnapshot>("kubernetes")?.data?.nodes.length ? true : undefined,
        );
        const resumed = await next.app.setup.apply("apiserver-config", { confirm: true }, "admin");
        expect(resumed.ok, resumed.message).toBe(true);
        expect(resumed.step.status).toBe("verified");
        expect(resumed.message).not.toContain("on node01");
      } finally {
        next.app.collectors.cluster.stop();
        await next.close();
      }
    } finally {
      if (child && child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("undo puts back the console's drop-in that was there before; a file of that name it did not write is left alone", async () => {
    // Every server has the drop-in now (the previous test's console wrote it; this console's record is undone).
    const node01 = t.nodes.find((n) => n.name === "node01");
    if (!node01) throw new Error("no node01");
    const dropIn = async () => {
      const r = await h.app.ssh.exec("node01", "k3s-config-show", {});
      const parsed = commands["k3s-config-show"].parse(r.stdout);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.value;
    };
    // An earlier drop-in of the console's (an older plan's names) on node01.
    const earlier = { tlsSan: [t.dns.vipName], authConfig: true };
    expect((await h.app.ssh.exec("node01", "k3s-dropin-write", earlier)).code).toBe(0);
    const applied = await act("apiserver-config", "apply");
    expect(Object.fromEntries(applied.changes.map((c) => [c.target, c.action]))).toEqual({
      "node:node01": "update",
      "node:node02": "unchanged",
      "node:node03": "unchanged",
    });
    expect((await dropIn()).dropInSettings?.tlsSan.length).toBeGreaterThan(1);
    const undone = await act("apiserver-config", "undo");
    expect(undone.message).toContain(
      "put back the /etc/rancher/k3s/config.yaml.d/50-k3s-ha.yaml there before on node01",
    );
    expect(undone.message).not.toMatch(/node0[23]/);
    expect((await dropIn()).dropInSettings).toEqual(earlier);
    expect(await statuses("vip")).toMatchObject({ "apiserver-config": "not-started" });

    // An operator's own file at that path: never shown, never overwritten.
    const file = join(k3sConfigDropinDir(node01), "50-k3s-ha.yaml");
    writeFileSync(file, "token: s3cr3t-lab-token\ntls-san+: [extra.example]\n");
    try {
      const p = await preview("apiserver-config");
      expect(p.refusals.join(" ")).toContain(
        "node01: /etc/rancher/k3s/config.yaml.d/50-k3s-ha.yaml is not a file the console wrote",
      );
      expect(p.changes.find((c) => c.target === "node:node01")).toMatchObject({ action: "update", diff: "" });
      expect(JSON.stringify(p)).not.toContain("s3cr3t");
      const r = await post("/api/setup/steps/apiserver-config/apply", { confirm: true });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: "STEP_REFUSED" });
      expect(readFileSync(file, "utf8")).toContain("s3cr3t-lab-token");
    } finally {
      rmSync(file, { force: true });
    }
  });
});
