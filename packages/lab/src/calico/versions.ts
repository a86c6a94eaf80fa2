// The Calico releases the lab can imitate (`lab up --calico VERSION`) and what differs between them for the console.
// One version per lab: the calico-node image tag, ClusterInformation `default` .spec.calicoVersion, the CRDs
// installed and the stand-in's route generator all follow it.

export const CALICO_VERSIONS = ["v3.31.7", "v3.32.1", "v3.31.3"] as const;
export type CalicoVersion = (typeof CALICO_VERSIONS)[number];
export const DEFAULT_CALICO: CalicoVersion = "v3.31.7";

export interface CalicoModel {
  version: CalicoVersion;
  /**
   * Which EndpointSlice endpoints make a node advertise an externalTrafficPolicy Local service's /128
   * (confd/pkg/backends/calico/routes.go): `ready` (v3.31.7, and the v3.32 line after v3.32.1: PRs #13246,
   * #13253, #13255) or `any` endpoint naming the node, ready or not (v3.31.0-v3.31.6 and v3.32.1) — on those an
   * apiserver that dies keeps attracting VIP traffic.
   */
  etpLocalEndpoints: "ready" | "any";
  /** The version of the crd.projectcalico.org CRD files installed (packages/lab/crds/*@<version>.*). */
  crds: "v3.31.7" | "v3.32.1";
  /**
   * The order of BIRD's protocol blocks: v3.31's text template emits Mesh_ (by host name), then Global_, then
   * Node_ peers (by address); v3.32's bgp_processor.go collects every peer and sorts by protocol name
   * (Global_, Mesh_, Node_). Nothing routes differently; `birdc show protocols` and calicoctl list them so.
   */
  birdOrder: "template" | "by-name";
}

const MODELS: Record<CalicoVersion, CalicoModel> = {
  "v3.31.7": { version: "v3.31.7", etpLocalEndpoints: "ready", crds: "v3.31.7", birdOrder: "template" },
  "v3.32.1": { version: "v3.32.1", etpLocalEndpoints: "any", crds: "v3.32.1", birdOrder: "by-name" },
  // No v3.31.3 CRD files are shipped: the v3.31 line's (v3.31.7) stand in for them.
  "v3.31.3": { version: "v3.31.3", etpLocalEndpoints: "any", crds: "v3.31.7", birdOrder: "template" },
};

export function isCalicoVersion(value: string): value is CalicoVersion {
  return (CALICO_VERSIONS as readonly string[]).includes(value);
}

export function calicoModel(version: CalicoVersion = DEFAULT_CALICO): CalicoModel {
  return MODELS[version];
}

/** How `lab status` describes the Calico in force. */
export function describeCalico(m: CalicoModel): string {
  const etp =
    m.etpLocalEndpoints === "ready"
      ? "eTP Local /128s only from nodes with a ready endpoint"
      : "eTP Local /128s from every node an endpoint names, ready or not (the readiness regression)";
  return `${m.version} (image tag and ClusterInformation calicoVersion; CRDs ${m.crds}; ${etp})`;
}
