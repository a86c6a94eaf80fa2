// A minimal OpenAPI v3 (per group/version paths with their PATCH operations), enough for kubectl to see that the
// server validates fields itself (fieldValidation) instead of downloading schemas to validate client-side.
import { createHash } from "node:crypto";
import type { DefinedType } from "../resources/define.js";
import type { Registry } from "../resources/registry.js";
import { notFoundGeneric } from "../status.js";

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

function allGroupVersions(registry: Registry): Array<[string, string]> {
  const out: Array<[string, string]> = [["", "v1"]];
  for (const g of registry.groups()) for (const v of g.versions) out.push([g.name, v]);
  return out;
}

function gvDocument(registry: Registry, group: string, version: string, gitVersion: string) {
  const types = registry.typesAt(group, version);
  const paths: Record<string, unknown> = {};
  const param = (name: string, where: "query" | "path") => ({
    name,
    in: where,
    ...(where === "path" ? { required: true } : {}),
    schema: { type: "string", uniqueItems: true },
  });
  for (const t of types as DefinedType[]) {
    const base = `/${gvPath(group, version)}${t.namespaced ? "/namespaces/{namespace}" : ""}/${t.resource}/{name}`;
    const gvk = { group, version, kind: t.kind };
    paths[base] = {
      parameters: [param("name", "path"), ...(t.namespaced ? [param("namespace", "path")] : [])],
      patch: {
        operationId: `patch${t.kind}`,
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
        parameters: ["dryRun", "fieldManager", "fieldValidation", "force"].map((n) => param(n, "query")),
        responses: { "200": { description: "OK" }, "201": { description: "Created" } },
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: gitVersion },
    paths,
    components: { schemas: {} },
  };
}

/** GET /openapi/v3 and /openapi/v3/<api|apis/group>/<version>. */
export function openApiV3(registry: Registry, path: string, gitVersion: string): unknown {
  const rel = path.replace(/^\/openapi\/v3\/?/, "");
  const gvs = allGroupVersions(registry);
  if (rel === "") {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [g, v] of gvs) {
      const doc = JSON.stringify(gvDocument(registry, g, v, gitVersion));
      const hash = createHash("sha512").update(doc).digest("hex").slice(0, 128).toUpperCase();
      paths[gvPath(g, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(g, v)}?hash=${hash}` };
    }
    return { paths };
  }
  const hit = gvs.find(([g, v]) => gvPath(g, v) === rel);
  if (!hit) throw notFoundGeneric();
  return gvDocument(registry, hit[0], hit[1], gitVersion);
}
