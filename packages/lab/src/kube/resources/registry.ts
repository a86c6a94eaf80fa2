// The resource registry: built-in kinds plus those of every established CRD in the shared store.
import type { KubeObject } from "../meta.js";
import type { KubeStore } from "../store/store.js";
import { validatingWebhookConfigurationsType } from "./admission.js";
import {
  configMapsType,
  endpointSlicesType,
  endpointsType,
  eventsType,
  leasesType,
  namespacesType,
  nodesType,
  pdbsType,
  secretsType,
  serviceAccountsType,
} from "./core.js";
import { crdsType, customResourceType } from "./crd.js";
import type { DefinedType } from "./define.js";
import { podsType } from "./pods.js";
import { clusterRoleBindingsType, clusterRolesType, roleBindingsType, rolesType } from "./rbac.js";
import { servicesType } from "./services.js";
import type { ResourceType } from "./types.js";
import { daemonSetsType, deploymentsType, replicaSetsType } from "./workloads.js";

export const BUILTIN_TYPES: readonly DefinedType[] = [
  namespacesType,
  nodesType,
  podsType,
  servicesType,
  endpointsType,
  eventsType,
  configMapsType,
  secretsType,
  serviceAccountsType,
  deploymentsType,
  daemonSetsType,
  replicaSetsType,
  endpointSlicesType,
  leasesType,
  pdbsType,
  rolesType,
  clusterRolesType,
  roleBindingsType,
  clusterRoleBindingsType,
  validatingWebhookConfigurationsType,
  crdsType,
];

export const CRD_GROUP = "apiextensions.k8s.io";
export const CRD_RESOURCE = "customresourcedefinitions";

export interface ApiGroupInfo {
  name: string;
  versions: string[];
  preferred: string;
}

export class Registry {
  private crdRv = -1;
  private custom: DefinedType[] = [];

  constructor(private readonly store: KubeStore) {}

  /** Reloads custom resource types when any CRD changed (one indexed lookup per call). */
  private refresh(): void {
    const rv = this.store.resourceRv(CRD_GROUP, CRD_RESOURCE);
    if (rv === this.crdRv) return;
    this.crdRv = rv;
    const builtinKeys = new Set(BUILTIN_TYPES.map((t) => `${t.group}/${t.resource}`));
    this.custom = this.store
      .list(CRD_GROUP, CRD_RESOURCE)
      .filter((crd: KubeObject) => !crd.metadata.deletionTimestamp)
      .map(customResourceType)
      .filter((t): t is DefinedType => t !== undefined && !builtinKeys.has(`${t.group}/${t.resource}`));
  }

  all(): readonly DefinedType[] {
    this.refresh();
    return [...BUILTIN_TYPES, ...this.custom];
  }

  find(group: string, version: string, resource: string): DefinedType | undefined {
    return this.all().find(
      (t) => t.group === group && t.resource === resource && t.versions.includes(version),
    );
  }

  findByKind(group: string, kind: string): DefinedType | undefined {
    return this.all().find((t) => t.group === group && t.kind === kind);
  }

  /** API groups other than the core group, built-ins first (as /apis lists them), each with served versions. */
  groups(): ApiGroupInfo[] {
    const out = new Map<string, ApiGroupInfo>();
    for (const t of this.all()) {
      if (!t.group) continue;
      const g = out.get(t.group) ?? { name: t.group, versions: [], preferred: t.versions[0] ?? "v1" };
      for (const v of t.versions) if (!g.versions.includes(v)) g.versions.push(v);
      out.set(t.group, g);
    }
    return [...out.values()];
  }

  /** The types served at one group/version. */
  typesAt(group: string, version: string): DefinedType[] {
    return this.all().filter((t) => t.group === group && t.versions.includes(version));
  }
}

export type { ResourceType };
