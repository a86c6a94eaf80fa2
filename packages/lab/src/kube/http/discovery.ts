// Discovery documents: /api, /apis, group and group/version resource lists (legacy and aggregated v2), /version.
import type { DefinedType } from "../resources/define.js";
import type { Registry } from "../resources/registry.js";
import { notFoundGeneric } from "../status.js";

export const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? "")
    .split(",")
    .some(
      (part) =>
        part.includes("as=APIGroupDiscoveryList") && part.includes("v=v2") && !part.includes("v=v2beta1"),
    );
}

const gv = (group: string, version: string) => (group ? `${group}/${version}` : version);

function legacyResources(types: readonly DefinedType[]) {
  const out: Array<Record<string, unknown>> = [];
  for (const t of types) {
    out.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    for (const [sub, info] of Object.entries(t.subresources)) {
      out.push({
        name: `${t.resource}/${sub}`,
        singularName: "",
        namespaced: t.namespaced,
        ...(info.group !== undefined ? { group: info.group } : {}),
        ...(info.version !== undefined ? { version: info.version } : {}),
        kind: info.kind,
        verbs: info.verbs,
      });
    }
  }
  return out;
}

function aggregatedResources(types: readonly DefinedType[], version: string) {
  return types.map((t) => ({
    resource: t.resource,
    responseKind: { group: t.group, version, kind: t.kind },
    scope: t.namespaced ? "Namespaced" : "Cluster",
    singularResource: t.singular,
    verbs: t.verbs,
    ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
    ...(t.categories.length ? { categories: t.categories } : {}),
    ...(Object.keys(t.subresources).length
      ? {
          subresources: Object.entries(t.subresources).map(([sub, info]) => ({
            subresource: sub,
            responseKind: { group: info.group ?? t.group, version: info.version ?? version, kind: info.kind },
            verbs: info.verbs,
          })),
        }
      : {}),
  }));
}

/** GET /api and /apis with the aggregated-discovery Accept header. */
export function aggregatedDiscovery(registry: Registry, core: boolean) {
  const groups = core ? [{ name: "", versions: ["v1"] }] : registry.groups();
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: "apidiscovery.k8s.io/v2",
    metadata: {},
    items: groups.map((g) => ({
      metadata: { ...(g.name ? { name: g.name } : {}), creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: aggregatedResources(registry.typesAt(g.name, v), v),
        freshness: "Current",
      })),
    })),
  };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDoc(g: { name: string; versions: string[]; preferred: string }) {
  return {
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: gv(g.name, v), version: v })),
    preferredVersion: { groupVersion: gv(g.name, g.preferred), version: g.preferred },
  };
}

export function apiGroupList(registry: Registry) {
  return { kind: "APIGroupList", apiVersion: "v1", groups: registry.groups().map(groupDoc) };
}

export function apiGroup(registry: Registry, group: string) {
  const g = registry.groups().find((x) => x.name === group);
  if (!g) throw notFoundGeneric();
  return { kind: "APIGroup", apiVersion: "v1", ...groupDoc(g) };
}

export function apiResourceList(registry: Registry, group: string, version: string) {
  const types = registry.typesAt(group, version);
  if (types.length === 0 && !(group === "" && version === "v1")) throw notFoundGeneric();
  return {
    kind: "APIResourceList",
    ...(group ? { apiVersion: "v1" } : {}),
    groupVersion: gv(group, version),
    resources: legacyResources(types),
  };
}

export function versionInfo(gitVersion: string) {
  const [major = "1", minor = "0"] = gitVersion.replace(/^v/, "").split(".");
  return {
    major,
    minor,
    gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-09-10T00:00:00Z",
    goVersion: "go1.24.6",
    compiler: "gc",
    platform: "linux/amd64",
  };
}
