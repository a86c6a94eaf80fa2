// The lab's one Kubernetes datastore (every node's k3s stand-in and calico-node stand-in open this SQLite file) and
// the CustomResourceDefinitions `lab up` installs into it: Calico's crd.projectcalico.org v1 and MetalLB's metallb.io.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { type KubeClient, type KubeObject, R } from "./kube/index.js";
import type { LabTopology } from "./topology.js";

/** A bearer token every API server of the lab accepts as the admin (k3s's token auth file, one line). */
export function kubeTokenFile(t: LabTopology): string {
  return path.join(t.stateDir, "kube", "admin.token");
}

/** The shared Kubernetes store of a lab (k3s's kine/SQLite equivalent). */
export function kubeDbFile(t: LabTopology): string {
  return path.join(t.stateDir, "kube", "state.db");
}

/**
 * The CRD files shipped with the lab (copied from the upstream repositories): Calico libcalico-go CRDs @v3.32.1
 * (CalicoNodeStatus @v3.31.7) and MetalLB's @v0.15.3.
 */
export const LAB_CRD_DIR = fileURLToPath(new URL("../crds/", import.meta.url));

export function labCrdFiles(): string[] {
  return readdirSync(LAB_CRD_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(LAB_CRD_DIR, f));
}

/** The CRD objects, parsed. */
export function labCrds(): KubeObject[] {
  return labCrdFiles().map((f) => parse(readFileSync(f, "utf8")) as KubeObject);
}

/** Installs every lab CRD that is not there yet (idempotent; other processes may race, which is fine). */
export function installLabCrds(client: KubeClient): string[] {
  const installed: string[] = [];
  for (const crd of labCrds()) {
    const name = crd.metadata.name ?? "";
    if (client.get(R.crds, undefined, name)) continue;
    try {
      client.create(R.crds, crd);
      installed.push(name);
    } catch (err) {
      if (!client.get(R.crds, undefined, name)) throw err;
    }
  }
  return installed;
}
