// Strategic merge patch for the built-in types: keyed lists merge by patchMergeKey, $patch/$retainKeys directives.
import { clone, isObject, type JsonObject, jsonEqual } from "../meta.js";
import type { ListRules } from "../resources/types.js";

const ORDER = "$setElementOrder/";
const DELETE_FROM = "$deleteFromPrimitiveList/";

function mergeList(original: unknown[], patch: unknown[], rules: ListRules, names: string[]): unknown[] {
  const rule = rules(names);
  if (patch.some((p) => isObject(p) && p.$patch === "replace")) {
    return patch.filter((p) => !(isObject(p) && p.$patch === "replace")).map(clone);
  }
  if (!rule) return patch.map(clone);
  if (rule.kind === "set") {
    const out = [...original];
    for (const v of patch) if (!out.some((o) => jsonEqual(o, v))) out.push(clone(v));
    return out;
  }
  const key = rule.smpKey ?? rule.keys[0] ?? "name";
  const out = original.map(clone);
  for (const item of patch) {
    if (!isObject(item)) {
      out.push(clone(item));
      continue;
    }
    const idx = out.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeObject(out[idx] as JsonObject, item, rules, names);
    else out.push(mergeObject({}, item, rules, names));
  }
  return out;
}

function mergeObject(original: JsonObject, patch: JsonObject, rules: ListRules, names: string[]): JsonObject {
  if (patch.$patch === "replace") {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  let out: JsonObject = { ...original };
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys" || k.startsWith(ORDER)) continue;
    if (k.startsWith(DELETE_FROM)) {
      const field = k.slice(DELETE_FROM.length);
      const list = out[field];
      if (Array.isArray(list) && Array.isArray(v))
        out[field] = list.filter((x) => !v.some((d) => jsonEqual(d, x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const path = [...names, k];
    if (isObject(v)) {
      if (v.$patch === "delete") delete out[k];
      else out[k] = mergeObject(isObject(out[k]) ? (out[k] as JsonObject) : {}, v, rules, path);
    } else if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, rules, path);
    } else out[k] = v;
  }
  return out;
}

export function applyStrategicMergePatch(
  original: JsonObject,
  patch: JsonObject,
  rules: ListRules,
): JsonObject {
  return mergeObject(original, patch, rules, []);
}
