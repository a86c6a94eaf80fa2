// metadata.managedFields: ownership for Update writes and server-side apply with conflicts (structured-merge-diff rules).
import { clone, isObject, type JsonObject, type KubeObject, type ManagedFieldsEntry } from "../meta.js";
import type { ListRules } from "../resources/types.js";
import { failure, type StatusError } from "../status.js";
import {
  type Comparison,
  compare,
  decodeFieldsV1,
  difference,
  encodeFieldsV1,
  type FieldSet,
  filterPrefix,
  intersection,
  removeAt,
  toFieldSet,
  union,
  valueAt,
} from "./fieldset.js";

export interface FieldOwner {
  manager: string;
  apiVersion: string;
  /** "status" for writes to the status subresource. */
  subresource?: string;
  time: string;
}

const IGNORED_META = [
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
];

/** Fields never owned; plus status on the main resource, or everything but status on /status. */
export function stripSet(set: FieldSet, subresource: string | undefined, hasStatus: boolean): FieldSet {
  let out = filterPrefix(filterPrefix(set, ["f:apiVersion"], false), ["f:kind"], false);
  for (const f of IGNORED_META) out = filterPrefix(out, ["f:metadata", `f:${f}`], false);
  if (subresource === "status") out = filterPrefix(out, ["f:status"], true);
  else if (hasStatus) out = filterPrefix(out, ["f:status"], false);
  return out;
}

const sameEntry = (e: ManagedFieldsEntry, owner: FieldOwner, operation: "Apply" | "Update") =>
  e.manager === owner.manager &&
  e.operation === operation &&
  (e.subresource ?? "") === (owner.subresource ?? "") &&
  (operation === "Apply" || e.apiVersion === owner.apiVersion);

function entryFor(owner: FieldOwner, operation: "Apply" | "Update", set: FieldSet): ManagedFieldsEntry {
  return {
    manager: owner.manager,
    operation,
    apiVersion: owner.apiVersion,
    time: owner.time,
    fieldsType: "FieldsV1",
    fieldsV1: encodeFieldsV1(set),
    ...(owner.subresource ? { subresource: owner.subresource } : {}),
  };
}

function withSet(e: ManagedFieldsEntry, set: FieldSet): ManagedFieldsEntry {
  return { ...e, fieldsV1: encodeFieldsV1(set) };
}

/** Removes changed/removed fields from everyone else, as a forced update does. */
function takeFrom(entries: ManagedFieldsEntry[], skip: (e: ManagedFieldsEntry) => boolean, lose: FieldSet) {
  const out: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (skip(e)) {
      out.push(e);
      continue;
    }
    const set = difference(decodeFieldsV1(e.fieldsV1), lose);
    if (set.size > 0) out.push(withSet(e, set));
  }
  return out;
}

function changes(
  before: unknown,
  after: unknown,
  rules: ListRules,
  owner: FieldOwner,
  hasStatus: boolean,
): Comparison {
  const c = compare(before ?? {}, after, rules);
  const strip = (s: FieldSet) => stripSet(s, owner.subresource, hasStatus);
  return { added: strip(c.added), modified: strip(c.modified), removed: strip(c.removed) };
}

/** managedFields after a create, update or non-apply patch by `owner`. */
export function trackUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  owner: FieldOwner,
  rules: ListRules,
  hasStatus: boolean,
): ManagedFieldsEntry[] {
  const entries = after.metadata.managedFields ?? before?.metadata.managedFields ?? [];
  const c = changes(before, after, rules, owner, hasStatus);
  const changed = union(c.added, c.modified);
  const others = takeFrom(entries, (e) => sameEntry(e, owner, "Update"), union(changed, c.removed));
  const mine = others.find((e) => sameEntry(e, owner, "Update"));
  const rest = others.filter((e) => e !== mine);
  const set = union(difference(mine ? decodeFieldsV1(mine.fieldsV1) : new Set(), c.removed), changed);
  if (set.size === 0) return rest;
  const entry = changed.size > 0 || !mine ? entryFor(owner, "Update", set) : withSet(mine, set);
  return mine ? others.map((e) => (e === mine ? entry : e)) : [...rest, entry];
}

// ---- server-side apply ----

function mergeApplied(live: unknown, config: unknown, rules: ListRules, names: string[]): unknown {
  if (isObject(config)) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(out[k], v, rules, [...names, k]);
    }
    return out;
  }
  if (Array.isArray(config)) {
    const rule = rules(names);
    if (!rule || !Array.isArray(live)) return clone(config);
    const out = live.map(clone);
    for (const item of config) {
      const probe = toFieldSet([item], () => rule);
      const token = [...probe][0] ?? "";
      const idx = out.findIndex((x) => valueAt([x], token) !== undefined);
      if (rule.kind === "set" || !isObject(item)) {
        if (idx < 0) out.push(clone(item));
      } else if (idx >= 0) out[idx] = mergeApplied(out[idx], item, rules, names);
      else out.push(clone(item));
    }
    return out;
  }
  return clone(config);
}

function managerId(e: ManagedFieldsEntry): string {
  const id: JsonObject = { manager: e.manager, operation: e.operation };
  if (e.operation === "Update") id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** printManager: "name" [with subresource "s"] [using apiVersion] */
function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") s += ` using ${e.apiVersion}`;
  return s;
}

function applyConflict(
  conflicts: Array<{ entry: ManagedFieldsEntry; path: string }>,
  pathString: (k: string) => string,
) {
  const causes = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${printManager(c.entry)}`,
    field: pathString(c.path),
  }));
  let message: string;
  const first = conflicts[0];
  if (conflicts.length === 1 && first) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(first.entry)}: ${pathString(first.path)}`;
  } else {
    const byManager = new Map<string, { entry: ManagedFieldsEntry; paths: string[] }>();
    for (const c of conflicts) {
      const id = managerId(c.entry);
      const g = byManager.get(id) ?? { entry: c.entry, paths: [] };
      g.paths.push(pathString(c.path));
      byManager.set(id, g);
    }
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort()) {
      const g = byManager.get(id);
      if (!g) continue;
      lines.push(`conflicts with ${printManager(g.entry)}:`, ...g.paths.map((p) => `- ${p}`));
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return failure(409, "Conflict", message, { causes });
}

export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

/** Merges an apply configuration into the live object; throws 409 on conflicts unless forced. */
export function serverSideApply(
  live: KubeObject,
  config: KubeObject,
  owner: FieldOwner,
  force: boolean,
  rules: ListRules,
  hasStatus: boolean,
  pathString: (key: string) => string,
): ApplyResult {
  const entries = live.metadata.managedFields ?? [];
  const applied = stripSet(toFieldSet(config, rules), owner.subresource, hasStatus);
  const merged = mergeApplied(live, config, rules, []) as KubeObject;
  const mine = entries.find((e) => sameEntry(e, owner, "Apply"));
  if (mine) {
    let ownedByOthers: FieldSet = new Set();
    for (const e of entries) if (e !== mine) ownedByOthers = union(ownedByOthers, decodeFieldsV1(e.fieldsV1));
    const dropped = difference(difference(decodeFieldsV1(mine.fieldsV1), applied), ownedByOthers);
    for (const path of [...dropped].sort().reverse()) removeAt(merged, path);
  }
  const c = changes(live, merged, rules, owner, hasStatus);
  const changed = union(c.added, c.modified);
  const conflicts: Array<{ entry: ManagedFieldsEntry; path: string }> = [];
  for (const e of entries) {
    if (e === mine) continue;
    for (const path of intersection(decodeFieldsV1(e.fieldsV1), changed)) conflicts.push({ entry: e, path });
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts, pathString) as StatusError;
  const entry = entryFor(owner, "Apply", applied);
  const managedFields = takeFrom(entries, (e) => e === mine, union(changed, c.removed)).map((e) =>
    e === mine ? entry : e,
  );
  if (!mine) managedFields.push(entry);
  return { object: merged, managedFields };
}
