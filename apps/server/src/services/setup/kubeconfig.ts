// A kubeconfig for an HA endpoint (the VIP's name or the round-robin name): the plan's kubeconfig user and CA with
// the server replaced, everything embedded, so it works on another machine. It carries the admin credentials: only
// the confirmed, audited download route hands it out.
import { readFileSync } from "node:fs";
import type { Plan } from "@k3s-ha/shared";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { AppError } from "../../errors.js";

export type HaEndpoint = "vip-name" | "round-robin";

export function endpointUrl(plan: Plan, endpoint: HaEndpoint, port: number): string {
  const name = endpoint === "vip-name" ? plan.dns.vipName : plan.dns.roundRobinName;
  return `https://${name.replace(/\.$/, "")}:${port}`;
}

const b64 = (data: string | undefined, file: string | undefined): string | undefined => {
  if (data) return data;
  if (file) return readFileSync(file).toString("base64");
  return undefined;
};

/** The kubeconfig for `endpoint`, as YAML; the context is named after the plan and the endpoint. */
export function endpointKubeconfig(plan: Plan, endpoint: HaEndpoint): string {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(plan.kubernetes.kubeconfig);
    if (plan.kubernetes.context) kc.setCurrentContext(plan.kubernetes.context);
  } catch {
    throw new AppError(
      "PLAN_UNAVAILABLE",
      `the plan's kubeconfig ${plan.kubernetes.kubeconfig} cannot be read`,
    );
  }
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster || !user)
    throw new AppError("PLAN_UNAVAILABLE", "the plan's kubeconfig names no current cluster and user");
  const port = Number(new URL(cluster.server).port || 443);
  const name = `${plan.metadata.name}-${endpoint}`;
  const ca = b64(cluster.caData, cluster.caFile);
  const cert = b64(user.certData, user.certFile);
  const key = b64(user.keyData, user.keyFile);
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [
      {
        name,
        cluster: {
          server: endpointUrl(plan, endpoint, port),
          ...(ca ? { "certificate-authority-data": ca } : {}),
        },
      },
    ],
    users: [
      {
        name,
        user: {
          ...(cert ? { "client-certificate-data": cert } : {}),
          ...(key ? { "client-key-data": key } : {}),
          ...(user.token ? { token: user.token } : {}),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  };
  return `# ${name}: the API through ${endpointUrl(plan, endpoint, port)} (k3s HA Console). Keep it secret: it holds admin credentials.\n${stringify(doc)}`;
}
