// Field sets as structured-merge-diff sees them: paths of f:/k:/v:/i: elements, FieldsV1 encoding, compare and prune.
import { isObject, type JsonObject, jsonEqual } from "../meta.js";
import type { ListRules } from "../resources/types.js";

/** A set of field paths; each path is its FieldsV1 elements joined by \u0001. */
export type FieldSet = Set<string>;

const SEP = "\u0001";
export const pathKey = (tokens: readonly string[]) => tokens.join(SEP);
export const pathTokens = (key: string) => (key === "" ? [] : key.split(SEP));

/** "k:" element of a keyed list item: the key fields, sorted, as compact JSON. */
function keyElement(item: JsonObject, keys: readonly string[]): string {
  const fields: JsonObject = {};
  for (const k of [...keys].sort()) {
    const v = item[k] ?? (k === "protocol" ? "TCP" : undefined);
    if (v !== undefined) fields[k] = v;
  }
  return `k:${JSON.stringify(fields)}`;
}

/** ToFieldSet: every leaf, every keyed-list item, every set member, every empty map. */
export function toFieldSet(value: unknown, rules: ListRules): FieldSet {
  const out: FieldSet = new Set();
  const walk = (v: unknown, tokens: string[], names: string[]) => {
    if (isObject(v)) {
      const keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (keys.length === 0 && tokens.length > 0) out.add(pathKey(tokens));
      for (const k of keys) walk(v[k], [...tokens, `f:${k}`], [...names, k]);
      return;
    }
    if (Array.isArray(v)) {
      const rule = rules(names);
      if (!rule) {
        out.add(pathKey(tokens));
        return;
      }
      for (const item of v) {
        if (rule.kind === "set" || !isObject(item)) {
          out.add(pathKey([...tokens, `v:${JSON.stringify(item)}`]));
          continue;
        }
        const itemTokens = [...tokens, keyElement(item, rule.keys)];
        out.add(pathKey(itemTokens));
        for (const k of Object.keys(item)) walk(item[k], [...itemTokens, `f:${k}`], [...names, k]);
      }
      return;
    }
    out.add(pathKey(tokens));
  };
  walk(value, [], []);
  return out;
}

export const union = (a: FieldSet, b: FieldSet): FieldSet => new Set([...a, ...b]);
export const difference = (a: FieldSet, b: FieldSet): FieldSet => new Set([...a].filter((p) => !b.has(p)));
export const intersection = (a: FieldSet, b: FieldSet): FieldSet => new Set([...a].filter((p) => b.has(p)));

/** Keeps or drops paths under a prefix of elements. */
export function filterPrefix(set: FieldSet, prefix: readonly string[], keep: boolean): FieldSet {
  const p = pathKey(prefix);
  const under = (k: string) => k === p || k.startsWith(p + SEP);
  return new Set([...set].filter((k) => under(k) === keep));
}

export function encodeFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  const members = new Set(set);
  for (const key of [...set].sort()) {
    let node = root;
    for (const t of pathTokens(key)) {
      if (!isObject(node[t])) node[t] = {};
      node = node[t] as JsonObject;
    }
  }
  const mark = (node: JsonObject, prefix: string[]) => {
    for (const [t, child] of Object.entries(node)) {
      if (t === "." || !isObject(child)) continue;
      const tokens = [...prefix, t];
      const hasChildren = Object.keys(child).length > 0;
      mark(child, tokens);
      if (hasChildren && members.has(pathKey(tokens))) child["."] = {};
    }
  };
  mark(root, []);
  return sortKeys(root);
}

function sortKeys(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  const keys = Object.keys(node).sort((a, b) =>
    a === "." ? -1 : b === "." ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const k of keys) out[k] = isObject(node[k]) ? sortKeys(node[k] as JsonObject) : node[k];
  return out;
}

export function decodeFieldsV1(fields: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, tokens: string[]) => {
    if (!isObject(node)) return;
    for (const [t, child] of Object.entries(node)) {
      if (t === ".") continue;
      const path = [...tokens, t];
      const keys = isObject(child) ? Object.keys(child) : [];
      if (keys.length === 0 || keys.includes(".")) out.add(pathKey(path));
      walk(child, path);
    }
  };
  walk(fields, []);
  return out;
}

function findItem(list: unknown[], token: string): number {
  const body = token.slice(2);
  const wanted = JSON.parse(body) as unknown;
  if (token.startsWith("v:")) return list.findIndex((x) => jsonEqual(x, wanted));
  if (token.startsWith("i:")) return Number(body);
  return list.findIndex(
    (x) =>
      isObject(x) &&
      isObject(wanted) &&
      Object.entries(wanted).every(([k, v]) => jsonEqual(x[k] ?? (k === "protocol" ? "TCP" : undefined), v)),
  );
}

export function valueAt(obj: unknown, key: string): unknown {
  let cur = obj;
  for (const t of pathTokens(key)) {
    if (t.startsWith("f:")) cur = isObject(cur) ? cur[t.slice(2)] : undefined;
    else if (Array.isArray(cur)) cur = cur[findItem(cur, t)];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Removes the value at a path (a field, a keyed item, a set member), in place. */
export function removeAt(obj: unknown, key: string): void {
  const tokens = pathTokens(key);
  const last = tokens.pop();
  if (!last) return;
  const parent = valueAt(obj, pathKey(tokens));
  if (last.startsWith("f:")) {
    if (isObject(parent)) delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const i = findItem(parent, last);
    if (i >= 0) parent.splice(i, 1);
  }
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** What changed between two objects, as field paths (typed.Comparison). */
export function compare(before: unknown, after: unknown, rules: ListRules): Comparison {
  const a = toFieldSet(before, rules);
  const b = toFieldSet(after, rules);
  const parents = new Set<string>();
  for (const k of b) {
    const t = pathTokens(k);
    for (let i = 1; i < t.length; i++) parents.add(pathKey(t.slice(0, i)));
  }
  const modified: FieldSet = new Set();
  for (const k of b) {
    if (!a.has(k) || parents.has(k)) continue;
    if (!jsonEqual(valueAt(before, k), valueAt(after, k))) modified.add(k);
  }
  return { added: difference(b, a), modified, removed: difference(a, b) };
}

/** fieldpath.Path.String(): .spec.containers[name="nginx"].image */
export function pathString(key: string): string {
  const render = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v));
  return pathTokens(key)
    .map((t) => {
      const body = t.slice(2);
      if (t.startsWith("f:")) return `.${body}`;
      if (t.startsWith("i:")) return `[${body}]`;
      if (t.startsWith("v:")) return `[=${render(JSON.parse(body))}]`;
      const fields = JSON.parse(body) as JsonObject;
      return `[${Object.entries(fields)
        .map(([k, v]) => `${k}=${render(v)}`)
        .join(",")}]`;
    })
    .join("");
}
