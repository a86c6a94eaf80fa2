// Merge keys of the built-in types' lists (patchMergeKey / listType=map), for strategic merge patch and apply.
import type { ListRule, ListRules } from "./types.js";

const map = (keys: string[], smpKey?: string): ListRule => ({
  kind: "map",
  keys,
  ...(smpKey ? { smpKey } : {}),
});
const set: ListRule = { kind: "set" };

/** Lists inside a PodSpec, relative to the spec. */
const POD_SPEC: Record<string, ListRule> = {
  containers: map(["name"]),
  initContainers: map(["name"]),
  ephemeralContainers: map(["name"]),
  "containers.ports": map(["containerPort", "protocol"], "containerPort"),
  "initContainers.ports": map(["containerPort", "protocol"], "containerPort"),
  "containers.env": map(["name"]),
  "initContainers.env": map(["name"]),
  "containers.volumeMounts": map(["mountPath"]),
  "initContainers.volumeMounts": map(["mountPath"]),
  "containers.volumeDevices": map(["devicePath"]),
  volumes: map(["name"]),
  imagePullSecrets: map(["name"]),
  hostAliases: map(["ip"]),
  topologySpreadConstraints: map(["topologyKey", "whenUnsatisfiable"], "topologyKey"),
  resourceClaims: map(["name"]),
};

const COMMON: Record<string, ListRule> = {
  "metadata.ownerReferences": map(["uid"]),
  "metadata.finalizers": set,
  "status.conditions": map(["type"]),
};

const BY_RESOURCE: Record<string, Record<string, ListRule>> = {
  pods: {
    "status.podIPs": map(["ip"]),
    "status.hostIPs": map(["ip"]),
  },
  nodes: {
    "spec.taints": map(["key", "effect"], "key"),
    "spec.podCIDRs": set,
    "status.addresses": map(["type"]),
  },
  services: {
    "spec.ports": map(["port", "protocol"], "port"),
  },
  validatingwebhookconfigurations: {
    webhooks: map(["name"]),
  },
};

const TEMPLATE_PREFIXES: Record<string, string> = {
  pods: "spec.",
  deployments: "spec.template.spec.",
  daemonsets: "spec.template.spec.",
  replicasets: "spec.template.spec.",
  statefulsets: "spec.template.spec.",
};

/** The list rules of a built-in resource. */
export function builtinListRules(resource: string): ListRules {
  const own = BY_RESOURCE[resource] ?? {};
  const prefix = TEMPLATE_PREFIXES[resource];
  return (path) => {
    const dotted = path.join(".");
    const hit = own[dotted] ?? COMMON[dotted];
    if (hit) return hit;
    if (prefix && dotted.startsWith(prefix)) return POD_SPEC[dotted.slice(prefix.length)];
    if (prefix === "spec.template.spec." && dotted === "spec.template.metadata.ownerReferences")
      return map(["uid"]);
    return undefined;
  };
}

/** Custom resources: x-kubernetes-list-type / x-kubernetes-list-map-keys from the structural schema. */
export function schemaListRules(lookup: (path: readonly string[]) => ListRule | undefined): ListRules {
  return (path) => {
    const dotted = path.join(".");
    return COMMON[dotted] && dotted.startsWith("metadata.") ? COMMON[dotted] : lookup(path);
  };
}
