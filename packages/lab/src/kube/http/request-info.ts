// Reads a URL the way the apiserver's RequestInfoFactory does: API prefix, group/version, namespace, resource, verb.

export interface RequestInfo {
  /** false for /version, /api, /apis/<group>… (discovery and other non-resource paths). */
  isResource: boolean;
  path: string;
  verb: string;
  group: string;
  version: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
  /** Path segments after /api or /apis (for discovery). */
  parts: string[];
  prefix?: "api" | "apis";
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

function verbFor(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      return watch ? "watch" : hasName ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return hasName ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const segments = path
    .split("/")
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);
  const base: RequestInfo = {
    isResource: false,
    path,
    verb: method.toLowerCase(),
    group: "",
    version: "",
    parts: [],
  };
  const prefix = segments[0];
  if (prefix !== "api" && prefix !== "apis") return base;
  let rest = segments.slice(1);
  const info: RequestInfo = { ...base, prefix, parts: rest };
  if (prefix === "apis") {
    if (rest.length < 3) return info;
    info.group = rest[0] ?? "";
    rest = rest.slice(1);
  } else if (rest.length < 2) return info;
  info.version = rest[0] ?? "";
  rest = rest.slice(1);
  let watch = false;
  if (rest[0] === "watch") {
    watch = true;
    rest = rest.slice(1);
  }
  if (rest[0] === "namespaces") {
    if (rest.length > 1) {
      info.namespace = rest[1];
      if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? "")) rest = rest.slice(2);
    }
  }
  info.isResource = true;
  info.resource = rest[0];
  if (rest.length > 1) info.name = rest[1];
  if (rest.length > 2) info.subresource = rest[2];
  if (info.resource === "namespaces" && info.namespace && !info.name) info.name = info.namespace;
  const w = url.searchParams.get("watch");
  if (w === "true" || w === "1") watch = true;
  info.verb = verbFor(method, info.name !== undefined, watch && method === "GET");
  return info;
}
