// A small in-process client over the same operations the HTTP API runs: for controllers, seeding and stand-ins.
import { deleteObject } from "./api/delete.js";
import type { Api, Scope } from "./api/objects.js";
import { APPLY_PATCH, MERGE_PATCH, patchObject, STRATEGIC_PATCH } from "./api/patch.js";
import { getObject, listObjects, matches, parseListQuery } from "./api/read.js";
import { createObject, updateObject } from "./api/write.js";
import type { FieldOwner } from "./managed/managed-fields.js";
import { type KubeObject, nowIso } from "./meta.js";
import type { DefinedType } from "./resources/define.js";
import { apiVersionOf } from "./resources/types.js";
import { notFoundGeneric, StatusError } from "./status.js";
import type { ChangeFeed } from "./store/feed.js";
import type { Change } from "./store/store.js";

export interface Gvr {
  group: string;
  version: string;
  resource: string;
}

/** The resources controllers and stand-ins use most. */
export const R = {
  namespaces: { group: "", version: "v1", resource: "namespaces" },
  nodes: { group: "", version: "v1", resource: "nodes" },
  pods: { group: "", version: "v1", resource: "pods" },
  services: { group: "", version: "v1", resource: "services" },
  endpoints: { group: "", version: "v1", resource: "endpoints" },
  events: { group: "", version: "v1", resource: "events" },
  configmaps: { group: "", version: "v1", resource: "configmaps" },
  secrets: { group: "", version: "v1", resource: "secrets" },
  endpointslices: { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" },
  leases: { group: "coordination.k8s.io", version: "v1", resource: "leases" },
  deployments: { group: "apps", version: "v1", resource: "deployments" },
  daemonsets: { group: "apps", version: "v1", resource: "daemonsets" },
  replicasets: { group: "apps", version: "v1", resource: "replicasets" },
  pdbs: { group: "policy", version: "v1", resource: "poddisruptionbudgets" },
  roles: { group: "rbac.authorization.k8s.io", version: "v1", resource: "roles" },
  clusterroles: { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles" },
  rolebindings: { group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings" },
  clusterrolebindings: { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterrolebindings" },
  validatingWebhookConfigurations: {
    group: "admissionregistration.k8s.io",
    version: "v1",
    resource: "validatingwebhookconfigurations",
  },
  crds: { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions" },
  ipAddressPools: { group: "metallb.io", version: "v1beta1", resource: "ipaddresspools" },
} as const satisfies Record<string, Gvr>;

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type WatchHandler = (type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject) => void;

export class KubeClient {
  constructor(
    readonly api: Api,
    readonly feed: ChangeFeed,
    /** The fieldManager this client's writes are recorded under. */
    readonly manager = "k3s-lab",
  ) {}

  /** A client whose writes are recorded under another field manager. */
  as(manager: string): KubeClient {
    return new KubeClient(this.api, this.feed, manager);
  }

  type(gvr: Gvr): DefinedType {
    const t = this.api.registry.find(gvr.group, gvr.version, gvr.resource);
    if (!t) throw notFoundGeneric();
    return t;
  }

  private scope(gvr: Gvr, namespace?: string, name?: string, subresource?: string): Scope {
    return {
      type: this.type(gvr),
      version: gvr.version,
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
      ...(subresource ? { subresource } : {}),
    };
  }

  private owner(gvr: Gvr, subresource?: string): FieldOwner {
    return {
      manager: this.manager,
      apiVersion: apiVersionOf(gvr, gvr.version),
      ...(subresource ? { subresource } : {}),
      time: nowIso(this.api.now()),
    };
  }

  /** The object, or undefined when it does not exist. */
  get(gvr: Gvr, namespace: string | undefined, name: string): KubeObject | undefined {
    try {
      return getObject(this.api, this.scope(gvr, namespace, name));
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return undefined;
      throw err;
    }
  }

  list(gvr: Gvr, options: ListOptions = {}): KubeObject[] {
    const query: Record<string, string> = {};
    if (options.labelSelector) query.labelSelector = options.labelSelector;
    if (options.fieldSelector) query.fieldSelector = options.fieldSelector;
    const type = this.type(gvr);
    return listObjects(this.api, this.scope(gvr, options.namespace), parseListQuery(type, query)).items.map(
      (o) => ({
        ...o,
        apiVersion: apiVersionOf(type, gvr.version),
        kind: type.kind,
      }),
    );
  }

  create(gvr: Gvr, obj: KubeObject, dryRun = false): KubeObject {
    const scope = this.scope(gvr, obj.metadata.namespace);
    return createObject(this.api, scope, obj, { dryRun, fieldManager: this.manager }, this.owner(gvr)).object;
  }

  update(gvr: Gvr, obj: KubeObject): KubeObject {
    const scope = this.scope(gvr, obj.metadata.namespace, obj.metadata.name);
    return updateObject(this.api, scope, obj, { fieldManager: this.manager }, this.owner(gvr)).object;
  }

  updateStatus(gvr: Gvr, obj: KubeObject): KubeObject {
    const scope = this.scope(gvr, obj.metadata.namespace, obj.metadata.name, "status");
    return updateObject(this.api, scope, obj, { fieldManager: this.manager }, this.owner(gvr, "status"))
      .object;
  }

  /** Merge patch (or strategic merge for built-ins when asked) of the main resource or its status. */
  patch(
    gvr: Gvr,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: { status?: boolean; strategic?: boolean } = {},
  ) {
    const sub = options.status ? "status" : undefined;
    const scope = this.scope(gvr, namespace, name, sub);
    const contentType = options.strategic ? STRATEGIC_PATCH : MERGE_PATCH;
    return patchObject(
      this.api,
      scope,
      contentType,
      JSON.stringify(patch),
      { fieldManager: this.manager },
      this.owner(gvr, sub),
    ).object;
  }

  /** Server-side apply as this client's field manager. */
  apply(gvr: Gvr, obj: KubeObject, options: { force?: boolean; status?: boolean } = {}): KubeObject {
    const sub = options.status ? "status" : undefined;
    const scope = this.scope(gvr, obj.metadata.namespace, obj.metadata.name, sub);
    const opts = { fieldManager: this.manager, force: options.force ?? true };
    return patchObject(this.api, scope, APPLY_PATCH, JSON.stringify(obj), opts, this.owner(gvr, sub)).object;
  }

  /** Deletes; true when something was deleted. */
  delete(gvr: Gvr, namespace: string | undefined, name: string): boolean {
    try {
      deleteObject(this.api, this.scope(gvr, namespace, name), {});
      return true;
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return false;
      throw err;
    }
  }

  /**
   * Watches one resource from now (or `fromRv`): the handler sees ADDED/MODIFIED/DELETED as a watch would,
   * including changes written by other API server processes. Returns a stop function.
   */
  watch(gvr: Gvr, options: ListOptions & { fromRv?: number }, handler: WatchHandler): () => void {
    const type = this.type(gvr);
    const query: Record<string, string> = {};
    if (options.labelSelector) query.labelSelector = options.labelSelector;
    if (options.fieldSelector) query.fieldSelector = options.fieldSelector;
    const q = parseListQuery(type, query);
    const deliver = (c: Change) => {
      if (c.group !== type.group || c.resource !== type.resource) return;
      if (options.namespace && c.namespace !== options.namespace) return;
      const now = c.type !== "DELETED" && matches(type, q, c.object);
      const before = c.prev ? matches(type, q, c.prev) : false;
      const obj = { ...c.object, apiVersion: apiVersionOf(type, gvr.version), kind: type.kind };
      if (now && before) handler("MODIFIED", obj);
      else if (now) handler("ADDED", obj);
      else if (before) handler("DELETED", obj);
    };
    const sub = this.feed.subscribe(options.fromRv ?? this.api.store.currentRv(), { onChange: deliver });
    for (const c of sub.backlog) deliver(c);
    return sub.unsubscribe;
  }

  /** Calls `onChange` (at most once per feed poll) whenever any of the resources changes. */
  onChanges(resources: ReadonlyArray<Pick<Gvr, "group" | "resource">>, onChange: () => void): () => void {
    let pending = false;
    const sub = this.feed.subscribe(this.api.store.currentRv(), {
      onChange: (c) => {
        if (resources.some((r) => r.group === c.group && r.resource === c.resource)) pending = true;
      },
      onProgress: () => {
        if (!pending) return;
        pending = false;
        onChange();
      },
    });
    return sub.unsubscribe;
  }
}
