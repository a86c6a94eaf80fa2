// The `preflight` step: the plan lints clean; every server runs k3s >= v1.32.4 (anonymous /readyz through an
// AuthenticationConfiguration needs it) with servicelb disabled (its unit's ExecStart read too); Calico's version and
// its BGPFilter schema; BGP sessions up; no MetalLB speaker that would peer with the router.
import { calicoVersionWarning, lintPlan, type SetupCheck } from "@k3s-ha/shared";
import { check, type StepContext, type StepDriver } from "../driver.js";
import { auditChecks, filterHasSource } from "./calico.js";
import { readK3sConfig } from "./node-config.js";

const MIN_K3S: [number, number, number] = [1, 32, 4];

/** `v1.33.5+k3s1` ≥ v1.32.4? (undefined when the version cannot be read). */
export function k3sAtLeast(version: string, min = MIN_K3S): boolean | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > (min[i] ?? 0);
  return true;
}

async function serverChecks(ctx: StepContext): Promise<SetupCheck[]> {
  const out: SetupCheck[] = [];
  const nodes = ctx.cluster()?.nodes ?? [];
  for (const n of ctx.plan.nodes.filter((x) => x.role === "server")) {
    const version = nodes.find((x) => x.name === n.name)?.kubeletVersion;
    const atLeast = version ? k3sAtLeast(version) : undefined;
    out.push(
      check(
        `k3s-version-${n.name}`,
        `${n.name} runs k3s v1.32.4 or later`,
        atLeast === true,
        version
          ? `${version}${atLeast ? "" : ": anonymous /readyz through an AuthenticationConfiguration needs v1.32.4"}`
          : "its Node is not in the cluster snapshot",
      ),
    );
    try {
      const cfg = await readK3sConfig(ctx, n.name);
      const off = cfg.disable.includes("servicelb");
      const where = cfg.execStart
        ? `config files and ExecStart (${cfg.execStart.slice(1).join(" ")})`
        : "config files (ExecStart not read)";
      out.push(
        check(
          `servicelb-disabled-${n.name}`,
          `${n.name} has servicelb disabled`,
          off,
          `${where}: disable = ${cfg.disable.join(", ") || "nothing"}${off ? "" : " — k3s's servicelb would answer for the LoadBalancer Service beside MetalLB"}`,
        ),
      );
      if (!cfg.execStart)
        out.push(
          check(
            `execstart-${n.name}`,
            `${n.name}'s k3s unit is read`,
            false,
            "systemctl show k3s -p ExecStart printed nothing: flags there would replace the config files' values unseen",
            "warning",
          ),
        );
      if (cfg.problems.length)
        out.push(
          check(
            `k3s-config-${n.name}`,
            `${n.name}'s k3s configuration parses`,
            false,
            cfg.problems.join("; "),
          ),
        );
    } catch (err) {
      out.push(
        check(
          `servicelb-disabled-${n.name}`,
          `${n.name} has servicelb disabled`,
          false,
          (err as Error).message,
        ),
      );
    }
  }
  return out;
}

export const preflightStep: StepDriver = {
  id: "preflight",
  async plan() {
    return {
      changes: [],
      satisfied: false,
      refusals: [],
      instructions: ["Run Verify: the checks read the plan and the live cluster; nothing is changed."],
    };
  },
  async verify(ctx) {
    await ctx.refresh("router");
    const errors = lintPlan(ctx.plan).filter((f) => f.severity === "error");
    const cluster = ctx.cluster();
    const version = cluster?.calico.version;
    const warning = calicoVersionWarning(version);
    const kube = await ctx.kube();
    const hasSource = await filterHasSource(kube).catch(() => false);
    const mb = cluster?.metallb;
    return [
      check(
        "plan-lint",
        "The plan lints clean",
        errors.length === 0,
        errors.length ? errors.map((f) => `${f.id}: ${f.message}`).join("; ") : "no errors",
      ),
      ...(await serverChecks(ctx)),
      check(
        "calico-readiness",
        "Calico honours endpoint readiness",
        version !== undefined && !warning,
        warning?.message ??
          (version ? `Calico ${version}` : "Calico's version is not known (ClusterInformation default)"),
        "warning",
      ),
      check(
        "bgpfilter-source",
        "Calico's BGPFilter has `source`",
        hasSource,
        hasSource
          ? "relayed LoadBalancer /128s can be filtered (source: RemotePeers)"
          : "this Calico's BGPFilter schema has no source: a node may relay another node's VIP path",
        "warning",
      ),
      ...auditChecks(ctx, ["sessions-established", "no-session-in-policy"]),
      check(
        "no-metallb-speaker",
        "No MetalLB speaker will peer with the router",
        (mb?.speakers.length ?? 0) === 0 && (mb?.bgpPeers.length ?? 0) === 0,
        `speaker pods: ${mb?.speakers.map((p) => p.name).join(", ") || "none"}; MetalLB BGPPeers: ${mb?.bgpPeers.join(", ") || "none"}`,
      ),
    ];
  },
};
