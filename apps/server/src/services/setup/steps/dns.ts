// The `dns-vip` and `dns-round-robin` steps: the VIP's name, or one AAAA per server under the round-robin name, set
// by one TSIG-signed update (delete and add together) with the plan's TTL; what the name answered before is kept,
// and undo puts it back. Verified by asking the plan's DNS server.
import {
  type AaaaUpdate,
  canonicalIp,
  type DnsNameView,
  lineDiff,
  renderNsupdate,
  roundRobinUpdate,
  type SetupStepId,
  vipNameUpdate,
} from "@k3s-ha/shared";
import { collectDns } from "../../../collectors/dns.js";
import { check, type StepContext, type StepDriver, StepError } from "../driver.js";
import { sendUpdate } from "../nsupdate.js";
import type { StepRecord } from "../setup-store.js";

interface Applied {
  name: string;
  written: string[];
  /** What the name answered before (restored by undo), with its TTL. */
  before: { addresses: string[]; ttl: number };
}

const records = (lines: readonly string[], name: string, ttl: number) =>
  lines.length
    ? `${lines
        .map((a) => `${name}. ${ttl} IN AAAA ${a}`)
        .sort()
        .join("\n")}\n`
    : "";

export function dnsStep(
  id: SetupStepId,
  kind: DnsNameView["kind"],
  wanted: (ctx: StepContext) => AaaaUpdate,
): StepDriver {
  const live = async (ctx: StepContext) => {
    const snap = await collectDns(ctx.plan, ctx.signal).catch((err: unknown) => {
      throw new StepError(`the plan's DNS server: ${(err as Error).message}`);
    });
    const view = snap.names.find((n) => n.kind === kind);
    if (!view) throw new StepError(`the DNS source has no ${kind} name`);
    return view;
  };
  const same = (view: DnsNameView, u: AaaaUpdate) => {
    const have = new Set(view.answers.map((a) => canonicalIp(a.address) ?? a.address));
    const want = new Set(u.addresses.map((a) => canonicalIp(a) ?? a));
    return (
      have.size === want.size &&
      [...want].every((a) => have.has(a)) &&
      view.answers.every((a) => a.ttl === u.ttl)
    );
  };
  const send = async (ctx: StepContext, u: AaaaUpdate) => {
    const r = renderNsupdate(ctx.plan, u);
    if (!r.ok) throw new StepError(r.message);
    await sendUpdate(ctx.plan, ctx.planFile, r.script, ctx.signal);
  };
  return {
    id,
    async plan(ctx) {
      const u = wanted(ctx);
      const view = await live(ctx);
      const ok = same(view, u);
      const ttl = view.answers[0]?.ttl ?? u.ttl;
      return {
        changes: [
          {
            kind: "dns",
            target: "dns",
            object: `${u.name} AAAA`,
            action: ok ? "unchanged" : view.answers.length ? "update" : "create",
            diff: ok
              ? ""
              : lineDiff(
                  records(
                    view.answers.map((a) => a.address),
                    u.name,
                    ttl,
                  ),
                  records(
                    u.addresses.map((a) => canonicalIp(a) ?? a),
                    u.name,
                    u.ttl,
                  ),
                ),
            risky: true,
            note: `one TSIG-signed update to ${ctx.plan.dns.server} port ${ctx.plan.dns.port} (delete and add together); clients that cached the old answer keep it up to ${ttl} s`,
          },
        ],
        satisfied: ok,
        refusals: ctx.plan.dns.tsig ? [] : ["the plan names no dns.tsig key: signed updates need one"],
        internal: { before: { addresses: view.answers.map((a) => a.address), ttl } },
      };
    },
    async apply(ctx, planned) {
      const u = wanted(ctx);
      await send(ctx, u);
      ctx.progress(`sent the update: ${u.name} → ${u.addresses.join(", ")} (TTL ${u.ttl} s)`);
      const applied: Applied = {
        name: u.name,
        written: [...u.addresses],
        before: (planned.internal as { before: Applied["before"] }).before,
      };
      return { applied, previous: applied.before, message: `${u.name} answers ${u.addresses.join(", ")}` };
    },
    async verify(ctx) {
      const u = wanted(ctx);
      const view = await live(ctx);
      return [
        check(
          `${kind}-answers`,
          `${u.name} answers exactly the planned addresses`,
          view.missing.length === 0 && view.extra.length === 0 && view.answers.length > 0,
          `answers: ${view.answers.map((a) => a.address).join(", ") || view.error?.message || "none"}${view.missing.length ? `; missing ${view.missing.join(", ")}` : ""}${view.extra.length ? `; extra ${view.extra.map((e) => e.address).join(", ")}` : ""}`,
        ),
        check(
          `${kind}-ttl`,
          `${u.name} carries the plan's TTL (${u.ttl} s)`,
          view.ttlOk,
          `TTLs: ${[...new Set(view.answers.map((a) => a.ttl))].join(", ") || "none"}`,
          "warning",
        ),
      ];
    },
    async holds(ctx, rec: StepRecord) {
      const a = rec.applied as Applied | null;
      if (!a) return true;
      return same(await live(ctx), { name: a.name, ttl: wanted(ctx).ttl, addresses: a.written });
    },
    async undo(ctx, rec: StepRecord) {
      const a = rec.applied as Applied | null;
      if (!a) return "nothing to undo";
      await send(ctx, { name: a.name, ttl: a.before.ttl, addresses: a.before.addresses });
      return a.before.addresses.length
        ? `${a.name} answers ${a.before.addresses.join(", ")} again`
        : `${a.name} deleted (it did not exist before)`;
    },
  };
}

export const dnsVipStep = dnsStep("dns-vip", "vip-name", (ctx) => vipNameUpdate(ctx.plan));
export const dnsRoundRobinStep = dnsStep("dns-round-robin", "round-robin", (ctx) =>
  roundRobinUpdate(ctx.plan),
);
