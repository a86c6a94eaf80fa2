// k3s's packaged components (its deploy controller's manifests) and what `--disable` does to those the lab seeds.
import { type Gvr, type KubeClient, R } from "../kube/index.js";
import { configList } from "./node-config.js";

/** The objects the lab seeds for each packaged component (k3s's coredns.yaml, local-storage.yaml, metrics-server/). */
const SEEDED: Record<string, Array<[Gvr, string, string]>> = {
  coredns: [
    [R.deployments, "kube-system", "coredns"],
    [R.services, "kube-system", "kube-dns"],
  ],
  "local-storage": [[R.deployments, "kube-system", "local-path-provisioner"]],
  "metrics-server": [
    [R.deployments, "kube-system", "metrics-server"],
    [R.services, "kube-system", "metrics-server"],
  ],
};

/** `disable` of the effective config, each value possibly comma-separated (`--disable=traefik,servicelb`). */
export function disabledComponents(config: Record<string, unknown>): string[] {
  return configList(config, "disable")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * At start, k3s removes a disabled component's manifest and deletes what it deployed; the lab does so for the
 * components it seeds. Enabling one (traefik, servicelb, or one disabled before) deploys nothing here.
 */
export function removeDisabledComponents(
  client: KubeClient,
  disabled: readonly string[],
  log: (line: string) => void,
): void {
  for (const component of disabled) {
    for (const [gvr, namespace, name] of SEEDED[component] ?? []) {
      if (client.delete(gvr, namespace, name))
        log(`deleted ${gvr.resource} ${namespace}/${name} (${component} disabled)`);
    }
  }
}
