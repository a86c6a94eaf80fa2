// A helper that fills a ResourceType's usual values, so each kind's table entry says only what is special.
import { builtinListRules } from "./lists.js";
import { type ResourceType, STANDARD_VERBS, STATUS_VERBS, type SubresourceInfo } from "./types.js";

type Required = Pick<ResourceType, "group" | "versions" | "resource" | "kind">;

export interface TypeExtras {
  /** The object's generation follows spec changes (deployments, CRDs, custom resources…). */
  generation?: boolean;
  /** PUT of a missing object creates it (endpoints, leases). */
  createOnUpdate?: boolean;
}

export type DefinedType = ResourceType & TypeExtras;

export function defineType(
  t: Required & Partial<ResourceType> & TypeExtras & { status?: boolean },
): DefinedType {
  const { status, ...rest } = t;
  const subresources: Record<string, SubresourceInfo> = { ...(t.subresources ?? {}) };
  if (status) subresources.status = { kind: t.kind, verbs: STATUS_VERBS };
  return {
    singular: t.kind.toLowerCase(),
    listKind: `${t.kind}List`,
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: STANDARD_VERBS,
    returnDeletedObject: false,
    createStatus: status ? "drop" : "keep",
    fieldLabels: {},
    lists: builtinListRules(t.resource),
    nameRule: "subdomain",
    ...rest,
    subresources,
  };
}
