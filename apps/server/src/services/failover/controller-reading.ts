// What a run reads at its start about the controller managers, for its predictions: each server's
// kube-controller-manager timings from its k3s configuration (over SSH, through the registry), and who holds the
// kube-controller-manager Lease. Bounded: whatever has not answered within a few seconds is recorded as not read.
import { type ControllerReading, commands, controllerTimings, type Plan } from "@k3s-ha/shared";
import type { KubeAccess } from "../../plugins/kube.js";
import type { SshPool } from "../../plugins/ssh.js";

const LEASE_PATH = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager";
const READ_MS = 5_000;

const why = (err: unknown) => {
  const e = err as { code?: string; message?: string };
  return `${e.code ? `${e.code}: ` : ""}${e.message ?? String(err)}`.slice(0, 200);
};

/** The node a Lease holder names: client-go's identity is `<hostname>_<uuid>`; the plan's names are hostnames. */
export function leaseHolderNode(plan: Plan, holder: string): string | undefined {
  const names = new Set(plan.nodes.map((n) => n.name));
  if (names.has(holder)) return holder;
  const host = holder.split("_")[0] ?? "";
  return names.has(host) ? host : undefined;
}

export async function readControllers(
  plan: Plan,
  ssh: SshPool,
  access: KubeAccess,
): Promise<ControllerReading> {
  const signal = AbortSignal.timeout(READ_MS);
  const servers = plan.nodes.filter((n) => n.role === "server");
  const [configs, lease] = await Promise.all([
    Promise.all(
      servers.map(async (n): Promise<ControllerReading["servers"][number]> => {
        try {
          const r = await ssh.exec(n.name, "k3s-config-show", {}, signal);
          // Never quote the output: config.yaml may hold the cluster token.
          if (r.code !== 0) return { node: n.name, error: `k3s-config-show exited ${r.code}` };
          const parsed = commands["k3s-config-show"].parse(r.stdout);
          if (!parsed.ok) return { node: n.name, error: parsed.error.message };
          return { node: n.name, timings: controllerTimings(parsed.value.controllerManagerArgs) };
        } catch (err) {
          return { node: n.name, error: why(err) };
        }
      }),
    ),
    Promise.resolve()
      .then(() => access.getJson(LEASE_PATH, { verb: "get", resource: "leases" }, signal))
      .then(
        (l) => ({ lease: l as { spec?: { holderIdentity?: string; leaseDurationSeconds?: number } } }),
        (err: unknown) => ({ error: why(err) }),
      ),
  ]);
  const out: ControllerReading = { servers: configs };
  if ("error" in lease) return { ...out, leaseError: lease.error };
  const holder = lease.lease.spec?.holderIdentity;
  const leader = holder ? leaseHolderNode(plan, holder) : undefined;
  const seconds = lease.lease.spec?.leaseDurationSeconds;
  return {
    ...out,
    ...(leader
      ? { leader }
      : { leaseError: holder ? `the holder ${holder} is not a node of the plan` : "no holder" }),
    ...(typeof seconds === "number" && seconds > 0 ? { leaseMs: seconds * 1_000 } : {}),
  };
}
