// The lab's one Kubernetes datastore (every node's k3s stand-in and calico-node stand-in open this SQLite file) and
// the CustomResourceDefinitions `lab up` installs into it: Calico's crd.projectcalico.org v1 and MetalLB's metallb.io.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { type CalicoVersion, calicoModel, DEFAULT_CALICO } from "./calico/versions.js";
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
 * The CRD files shipped with the lab, byte for byte from upstream (crds/SOURCES.md): Calico's libcalico-go CRDs of
 * v3.31.7 and v3.32.1, and MetalLB's of v0.15.3.
 */
export const LAB_CRD_DIR = fileURLToPath(new URL("../crds/", import.meta.url));

/** Which CRDs a lab installs: its Calico version's, and MetalLB's only where MetalLB is installed. */
export interface CrdSelection {
  calico: CalicoVersion;
  metallb: boolean;
}

const DEFAULT_SELECTION: CrdSelection = { calico: DEFAULT_CALICO, metallb: true };

/** `crd.projectcalico.org_bgppeers@v3.31.7.libcalico-dir.yaml` → {group file prefix, kind, version}. */
function crdFileParts(file: string): { group: string; version: string } {
  const m = /^([a-z.]+)_[a-z0-9]+@([^.]+(?:\.[0-9]+)*)\./.exec(file);
  return { group: m?.[1] ?? "", version: m?.[2] ?? "" };
}

export function labCrdFiles(selection: CrdSelection = DEFAULT_SELECTION): string[] {
  const calicoCrds = calicoModel(selection.calico).crds;
  return readdirSync(LAB_CRD_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .filter((f) => {
      const { group, version } = crdFileParts(f);
      if (group === "metallb.io") return selection.metallb;
      if (group !== "crd.projectcalico.org") return false;
      // Kinds shipped in one copy only (CalicoNodeStatus v3.31.7, ClusterInformation) serve every version.
      if (/_(caliconodestatuses|clusterinformations)@/.test(f)) return true;
      return version === calicoCrds;
    })
    .sort()
    .map((f) => path.join(LAB_CRD_DIR, f));
}

/** The CRD objects, parsed. */
export function labCrds(selection: CrdSelection = DEFAULT_SELECTION): KubeObject[] {
  return labCrdFiles(selection).map((f) => parse(readFileSync(f, "utf8")) as KubeObject);
}

/** MetalLB's CRD objects (installed with MetalLB, removed with it). */
export function metallbCrds(): KubeObject[] {
  return labCrds({ calico: DEFAULT_CALICO, metallb: true }).filter((c) =>
    (c.metadata.name ?? "").endsWith(".metallb.io"),
  );
}

/** Installs every CRD of `crds` that is not there yet (idempotent; other processes may race, which is fine). */
export function installCrds(client: KubeClient, crds: readonly KubeObject[]): string[] {
  const installed: string[] = [];
  for (const crd of crds) {
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

/** Installs the lab's CRDs for `selection` (idempotent). */
export function installLabCrds(client: KubeClient, selection: CrdSelection = DEFAULT_SELECTION): string[] {
  return installCrds(client, labCrds(selection));
}
