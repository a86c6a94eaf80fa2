// The `apiserver-config` step, shared by both options: on every server a drop-in adding the plan's missing tls-san
// names and (for the API Service's readiness probe) an AuthenticationConfiguration for anonymous /readyz; rolled out
// one server at a time with etcd quorum checked, each restarted once, then its SANs verified by a TLS handshake.
import {
  canonicalIp,
  K3S_HA_AUTH_CONFIG,
  K3S_HA_DROPIN,
  type K3sConfig,
  type K3sHaSettings,
  lineDiff,
  parseK3sHaDropIn,
  renderK3sHaDropIn,
  type SetupChange,
  type SetupCheck,
} from "@k3s-ha/shared";
import { probeEndpoint } from "../../../collectors/endpoints.js";
import {
  type ApplyOutcome,
  check,
  type StepContext,
  type StepDriver,
  StepError,
  type StepPlan,
} from "../driver.js";
import type { StepRecord } from "../setup-store.js";
import { anonymousReadyz, missingSans, servedSans } from "../tls-check.js";
import { readK3sConfig, removeDropIn, restartK3s, writeDropIn } from "./node-config.js";

const AUTH_ARG = `authentication-config=${K3S_HA_AUTH_CONFIG}`;

interface NodePlan {
  node: string;
  address: string;
  settings: K3sHaSettings;
  /** The drop-in's text now (undefined: none). */
  current?: string;
  wanted: string;
  write: boolean;
  restart: boolean;
  why: string[];
  /** A flag on k3s's command line that would make the drop-in's value count for nothing. */
  refusals: string[];
  /** A file at the drop-in's path the console did not write (its text is never shown or kept). */
  foreign: boolean;
}

interface AppliedNode {
  node: string;
  wrote: boolean;
  restarted: boolean;
  /** The drop-in before the console's first write on this server (null: none); undo puts it back. */
  previous: string | null;
}
interface Applied {
  nodes: AppliedNode[];
}

/** The servers an earlier apply (still on the record, not undone) wrote to, with what was there before it. */
function priorNodes(ctx: StepContext): AppliedNode[] {
  const rec = ctx.record("apiserver-config");
  const nodes = rec && rec.state !== "undone" ? ((rec.applied as Applied | null)?.nodes ?? []) : [];
  return nodes.filter((n) => n.wrote).map((n) => ({ ...n }));
}

const written = (rec: StepRecord) => ((rec.applied as Applied | null)?.nodes ?? []).filter((n) => n.wrote);

const describe = (s: K3sHaSettings) =>
  [
    s.tlsSan.length ? `tls-san+ ${s.tlsSan.join(", ")}` : "",
    s.authConfig ? "the AuthenticationConfiguration" : "",
  ]
    .filter(Boolean)
    .join(" and ") || "empty";

const servers = (ctx: StepContext) => ctx.plan.nodes.filter((n) => n.role === "server");
const same = (a: string, b: string) =>
  (canonicalIp(a) ?? a.toLowerCase()) === (canonicalIp(b) ?? b.toLowerCase());

/** What the console's drop-in must say on this server: the plan's names its own config lacks, and anonymous /readyz. */
export function wantedSettings(planSans: readonly string[], cfg: K3sConfig): K3sHaSettings {
  const others = cfg.others["tls-san"];
  const tlsSan = planSans.filter((n) => !others.some((o) => same(o, n)));
  const ownAuth = cfg.others["kube-apiserver-arg"].some((a) => a.startsWith("authentication-config="));
  return { tlsSan, authConfig: !ownAuth };
}

async function planNode(ctx: StepContext, node: { name: string; address: string }): Promise<NodePlan> {
  const cfg = await readK3sConfig(ctx, node.name);
  const settings = wantedSettings(ctx.plan.k3s.tlsSan, cfg);
  const needed = settings.tlsSan.length > 0 || settings.authConfig;
  const wanted = needed ? renderK3sHaDropIn(settings) : "";
  const write = cfg.dropInForeign === true || (cfg.dropIn ?? "") !== wanted;
  const why: string[] = [];
  if (write) why.push(cfg.dropIn === undefined ? "no drop-in yet" : "the drop-in differs");
  const foreign = cfg.dropInForeign
    ? [
        `${node.name}: ${K3S_HA_DROPIN} is not a file the console wrote (it lacks the console's header, or sets more than tls-san+ and kube-apiserver-arg+); the console will not overwrite it: rename it (k3s reads every file in config.yaml.d) and preview again`,
      ]
    : [];
  const access = await ctx.kubeAccess();
  const port = Number(access.server.port || 443);
  const served = await servedSans(node.address, port, access.tls, ctx.signal);
  const missing = missingSans(ctx.plan.k3s.tlsSan, served.sans);
  if (missing.length) why.push(`its certificate lacks ${missing.join(", ")}`);
  const anon = settings.authConfig || cfg.apiserverArgs.includes(AUTH_ARG);
  if (anon) {
    const r = await anonymousReadyz(node.address, port, access.tls, ctx.signal);
    if (r.status !== 200) why.push(`anonymous /readyz answers ${r.status ?? r.error}`);
  }
  const refusals = (["tls-san", "kube-apiserver-arg"] as const)
    .filter(
      (k) => cfg.cliKeys.includes(k) && (k === "tls-san" ? settings.tlsSan.length > 0 : settings.authConfig),
    )
    .map(
      (k) =>
        `${node.name}: the k3s unit's ExecStart sets --${k}, and a command-line flag replaces every config file's ${k} (the drop-in's included): move --${k} from the unit into config.yaml, or add the plan's values to ExecStart by hand`,
    );
  return {
    node: node.name,
    address: node.address,
    refusals: [...foreign, ...refusals],
    foreign: cfg.dropInForeign === true,
    settings,
    ...(cfg.dropIn !== undefined ? { current: cfg.dropIn } : {}),
    wanted,
    write,
    restart: why.length > 0,
    why,
  };
}

function change(p: NodePlan): SetupChange {
  return {
    kind: "host-file",
    target: `node:${p.node}`,
    object: K3S_HA_DROPIN,
    action: !p.write
      ? "unchanged"
      : p.wanted === ""
        ? "delete"
        : p.current === undefined && !p.foreign
          ? "create"
          : "update",
    diff: p.foreign ? "" : p.write ? lineDiff(p.current ?? "", p.wanted) : "",
    ...(p.restart ? { risky: true } : {}),
    note: p.foreign
      ? "refused: a file of that name the console did not write is there (its text is not shown: it may hold a token)"
      : p.restart
        ? `then systemctl restart k3s on ${p.node} (${p.why.join("; ")}); names are added, none removed`
        : "nothing to change: its configuration and certificate already say so",
  };
}

/** Whether `node` can restart without losing etcd quorum (the Ready etcd members other than it). */
function quorumWithout(ctx: StepContext, node: string): { ok: boolean; why: string } {
  const cluster = ctx.cluster();
  // Never restart blind: without the cluster's nodes, quorum cannot be counted.
  if (!cluster?.nodes.length) return { ok: false, why: "the cluster's nodes have not been read yet" };
  const etcd = cluster.nodes.filter((n) => n.etcd);
  if (etcd.length === 0) return { ok: true, why: "no embedded etcd members are labelled" };
  const readyOthers = etcd.filter((n) => n.name !== node && n.ready === "ready").length;
  const quorum = Math.floor(etcd.length / 2) + 1;
  return {
    ok: readyOthers >= quorum,
    why: `${readyOthers} of ${etcd.length} etcd members Ready without ${node}; quorum is ${quorum}`,
  };
}

async function waitHealthy(ctx: StepContext, node: { name: string; address: string }): Promise<void> {
  const access = await ctx.kubeAccess();
  const port = Number(access.server.port || 443);
  const deadline = Date.now() + 120_000;
  let last = "";
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const p = await probeEndpoint(
      { target: `node:${node.name}`, address: node.address, planned: true },
      port,
      access.tls,
      ctx.signal,
      2_000,
    );
    const ready = ctx.cluster()?.nodes.find((n) => n.name === node.name)?.ready === "ready";
    if (p.readyz.status === 200 && ready) return;
    last = `readyz ${p.readyz.status ?? p.readyz.error ?? p.tcp.error ?? "no answer"}, Node ${ready ? "Ready" : "not Ready"}`;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StepError(`${node.name} did not come back within 120 s (${last})`);
}

async function sanChecks(ctx: StepContext): Promise<SetupCheck[]> {
  const access = await ctx.kubeAccess();
  const port = Number(access.server.port || 443);
  const out: SetupCheck[] = [];
  for (const n of servers(ctx)) {
    const served = await servedSans(n.address, port, access.tls, ctx.signal);
    const missing = missingSans(ctx.plan.k3s.tlsSan, served.sans);
    out.push(
      check(
        `sans-${n.name}`,
        `${n.name} serves every planned name`,
        served.ok && missing.length === 0,
        served.error
          ? `TLS to ${n.name}: ${served.error}`
          : missing.length
            ? `missing: ${missing.join(", ")}`
            : `SANs include ${ctx.plan.k3s.tlsSan.join(", ")}`,
      ),
    );
    const anon = await anonymousReadyz(n.address, port, access.tls, ctx.signal);
    out.push(
      check(
        `anonymous-readyz-${n.name}`,
        `${n.name} answers /readyz without credentials`,
        anon.status === 200,
        `GET /readyz without credentials: ${anon.status ?? anon.error}`,
      ),
    );
  }
  return out;
}

export const apiserverConfigStep: StepDriver = {
  id: "apiserver-config",
  async plan(ctx): Promise<StepPlan> {
    const plans: NodePlan[] = [];
    for (const n of servers(ctx)) plans.push(await planNode(ctx, n));
    return {
      changes: plans.map(change),
      satisfied: plans.every((p) => !p.write && !p.restart),
      refusals: plans.flatMap((p) => p.refusals),
      internal: { plans },
    };
  },

  async apply(ctx, planned): Promise<ApplyOutcome> {
    const { plans } = planned.internal as { plans: NodePlan[] };
    // An earlier apply's servers stay on the record with what was there before it (undo goes back that far), and
    // the record is kept before each write: a console killed half-way still knows what to undo.
    const applied: Applied = { nodes: priorNodes(ctx) };
    const done: string[] = [];
    for (const p of plans) {
      if (!p.write && !p.restart) continue;
      const q = quorumWithout(ctx, p.node);
      if (!q.ok)
        throw new StepError(`restarting ${p.node} now would lose etcd quorum (${q.why})`, done, applied);
      let entry = applied.nodes.find((n) => n.node === p.node);
      if (!entry) {
        entry = { node: p.node, wrote: false, restarted: false, previous: p.current ?? null };
        applied.nodes.push(entry);
      }
      entry.restarted = false;
      try {
        if (p.write) {
          ctx.keep?.(applied);
          if (p.wanted === "") await removeDropIn(ctx, p.node);
          else await writeDropIn(ctx, p.node, p.settings);
          entry.wrote = true;
          ctx.keep?.(applied);
          done.push(`wrote ${K3S_HA_DROPIN} on ${p.node}`);
          ctx.progress(done.at(-1) ?? "");
        }
        ctx.progress(`restarting k3s on ${p.node} (${q.why})`);
        await restartK3s(ctx, p.node);
        await waitHealthy(ctx, { name: p.node, address: p.address });
        entry.restarted = true;
        done.push(`restarted k3s on ${p.node}; /readyz answers and the Node is Ready`);
        ctx.progress(done.at(-1) ?? "");
        const access = await ctx.kubeAccess();
        const served = await servedSans(p.address, Number(access.server.port || 443), access.tls, ctx.signal);
        const missing = missingSans(ctx.plan.k3s.tlsSan, served.sans);
        if (missing.length)
          throw new StepError(
            `${p.node} restarted but its certificate still lacks ${missing.join(", ")}`,
            done,
            applied,
          );
      } catch (err) {
        if (err instanceof StepError) throw new StepError(err.message, [...done], applied);
        throw err;
      }
    }
    return { applied, previous: null, message: done.length ? done.join("; ") : "nothing to change" };
  },

  async verify(ctx) {
    return sanChecks(ctx);
  },

  async holds(ctx, rec: StepRecord): Promise<boolean> {
    const nodes = (rec.applied as Applied | null)?.nodes ?? [];
    for (const n of nodes) {
      if (!n.wrote) continue;
      const cfg = await readK3sConfig(ctx, n.node);
      if (cfg.dropIn === undefined) return false;
    }
    return true;
  },

  async undoRefusals(_ctx, rec: StepRecord): Promise<string[]> {
    return written(rec)
      .filter((n) => n.previous !== null && !parseK3sHaDropIn(n.previous))
      .map(
        (n) =>
          `${n.node}: the ${K3S_HA_DROPIN} there before the apply is not one the console can write again; undo with force: true removes the console's drop-in without putting that one back (the apply's audit entry has its diff, to restore it by hand)`,
      );
  },

  async undo(ctx, rec: StepRecord): Promise<string> {
    const done: string[] = [];
    for (const n of written(rec)) {
      const q = quorumWithout(ctx, n.node);
      if (!q.ok) throw new StepError(`restarting ${n.node} now would lose etcd quorum (${q.why})`, done);
      const before = n.previous === null ? undefined : parseK3sHaDropIn(n.previous);
      if (before) {
        await writeDropIn(ctx, n.node, before);
        done.push(`put back the ${K3S_HA_DROPIN} there before on ${n.node} (${describe(before)})`);
      } else {
        await removeDropIn(ctx, n.node);
        done.push(
          `removed ${K3S_HA_DROPIN} and ${K3S_HA_AUTH_CONFIG} on ${n.node}${n.previous !== null ? " (force: the file there before is not put back)" : ""}`,
        );
      }
      ctx.progress(done.at(-1) ?? "");
      await restartK3s(ctx, n.node);
      const address = ctx.plan.nodes.find((x) => x.name === n.node)?.address ?? "";
      await waitHealthy(ctx, { name: n.node, address });
      done.push(`restarted k3s on ${n.node}`);
      ctx.progress(done.at(-1) ?? "");
    }
    done.push(
      "names k3s added stay on the shared serving certificate (removing one takes the kube-system/k3s-serving secret)",
    );
    return done.join("; ");
  },
};
