// Kubernetes objects by their manifest: the REST path from API discovery (so CRDs a step just created resolve too),
// read, server-side apply as the console's field manager (with dry-run), and delete.
import type { Manifest } from "@k3s-ha/shared";
import { SETUP_FIELD_MANAGER } from "@k3s-ha/shared";
import { type KubeAccess, KubeError } from "../../plugins/kube.js";

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface ObjectRef {
  /** "IPAddressPool metallb-system/api-vip". */
  label: string;
  /** The object's own path. */
  path: string;
  resource: string;
}

export const manifestLabel = (m: Manifest) =>
  `${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata.name}`;

export class KubeObjects {
  private readonly discovery = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(readonly access: KubeAccess) {}

  /** Forgets what discovery said (after CRDs were created or removed). */
  rediscover(): void {
    this.discovery.clear();
  }

  private groupPath(apiVersion: string): string {
    return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  }

  private resources(apiVersion: string): Promise<ApiResource[] | undefined> {
    let found = this.discovery.get(apiVersion);
    if (!found) {
      found = this.access
        .getJson(this.groupPath(apiVersion), { verb: "discover", resource: apiVersion })
        .then((doc) =>
          ((doc as { resources?: ApiResource[] }).resources ?? []).filter((r) => !r.name.includes("/")),
        )
        .catch((err: unknown) => {
          if (err instanceof KubeError && err.status === 404) return undefined;
          throw err;
        });
      this.discovery.set(apiVersion, found);
      found.catch(() => this.discovery.delete(apiVersion));
    }
    return found;
  }

  /** Whether the cluster serves `apiVersion` at all (a CRD's group before its CRD exists answers false). */
  async serves(apiVersion: string, kind?: string): Promise<boolean> {
    const list = await this.resources(apiVersion);
    return list !== undefined && (kind === undefined || list.some((r) => r.kind === kind));
  }

  /** The object's path, or K8S_NOT_FOUND naming the kind the cluster does not serve. */
  async ref(m: Manifest): Promise<ObjectRef> {
    const list = await this.resources(m.apiVersion);
    const r = list?.find((x) => x.kind === m.kind);
    if (!r)
      throw new KubeError(
        "K8S_NOT_FOUND",
        `the cluster does not serve ${m.kind} (${m.apiVersion})${list ? "" : ": its API group is not installed"}`,
        404,
      );
    const ns = r.namespaced ? `/namespaces/${encodeURIComponent(m.metadata.namespace ?? "default")}` : "";
    return {
      label: manifestLabel(m),
      resource: r.name,
      path: `${this.groupPath(m.apiVersion)}${ns}/${r.name}/${encodeURIComponent(m.metadata.name)}`,
    };
  }

  /** The live object, or undefined when it (or its kind) does not exist. */
  async get(m: Manifest): Promise<Record<string, unknown> | undefined> {
    let ref: ObjectRef;
    try {
      ref = await this.ref(m);
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return undefined;
      throw err;
    }
    try {
      return (await this.access.getJson(ref.path, { verb: "get", resource: ref.resource })) as Record<
        string,
        unknown
      >;
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return undefined;
      throw err;
    }
  }

  async apply(
    m: Manifest,
    opts: { dryRun?: boolean; force?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    const ref = await this.ref(m);
    return (await this.access.serverSideApply(
      ref.path,
      m,
      { verb: opts.dryRun ? "dry-run apply" : "apply", resource: ref.label },
      { fieldManager: SETUP_FIELD_MANAGER, ...opts },
    )) as Record<string, unknown>;
  }

  /** Deletes the object; one already gone is fine. */
  async remove(m: Manifest, opts: { dryRun?: boolean } = {}): Promise<void> {
    let ref: ObjectRef;
    try {
      ref = await this.ref(m);
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return;
      throw err;
    }
    try {
      await this.access.deleteJson(ref.path, { verb: "delete", resource: ref.label }, opts);
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 404)) throw err;
    }
  }

  /** Gives up the console's fields: an apply of nothing from its manager (fields others also own stay). */
  async release(m: Manifest): Promise<void> {
    const empty: Manifest = {
      apiVersion: m.apiVersion,
      kind: m.kind,
      metadata: {
        name: m.metadata.name,
        ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}),
      },
    };
    await this.apply(empty);
  }
}
