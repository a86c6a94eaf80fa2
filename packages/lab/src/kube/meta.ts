// Kubernetes object shapes as plain JSON, and the small helpers every layer uses on them.
import { randomUUID } from "node:crypto";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: unknown };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
  lastUpdateTime?: string;
}

/** The ownerReference a controller puts on what it makes: garbage-collected with, and blocking the deletion of, `owner`. */
export const controllerRef = (apiVersion: string, kind: string, owner: KubeObject): OwnerReference => ({
  apiVersion,
  kind,
  name: owner.metadata.name ?? "",
  uid: owner.metadata.uid ?? "",
  controller: true,
  blockOwnerDeletion: true,
});

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const clone = <T>(v: T): T => structuredClone(v);

/** RFC 3339 with second precision, as metav1.Time serialises. */
export const nowIso = (at: Date = new Date()): string => `${at.toISOString().slice(0, 19)}Z`;

/** metav1.MicroTime (leases' renewTime, events.k8s.io eventTime). */
export const nowMicro = (at: Date = new Date()): string => `${at.toISOString().slice(0, 23)}000Z`;

export const newUid = (): string => randomUUID();

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Reads a nested value by a dotted path of field names. */
export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Returns the object at a path, creating empty objects on the way. */
export function ensurePath(obj: JsonObject, path: readonly string[]): JsonObject {
  let cur = obj;
  for (const p of path) {
    const next = cur[p];
    if (isObject(next)) cur = next;
    else {
      const created: JsonObject = {};
      cur[p] = created;
      cur = created;
    }
  }
  return cur;
}

export function conditionOf(obj: unknown, path: readonly string[], type: string): Condition | undefined {
  const list = getPath(obj, path);
  if (!Array.isArray(list)) return undefined;
  return list.find((c): c is Condition => isObject(c) && c.type === type);
}

/** Sets a condition in place; lastTransitionTime changes only when the status does (as controllers do). */
export function setCondition(list: Condition[], next: Condition, at: string): Condition[] {
  const i = list.findIndex((c) => c.type === next.type);
  const prev = i >= 0 ? list[i] : undefined;
  const merged: Condition = {
    ...prev,
    ...next,
    lastTransitionTime: prev && prev.status === next.status ? (prev.lastTransitionTime ?? at) : at,
  };
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}

export function isPodReady(pod: KubeObject): boolean {
  return conditionOf(pod, ["status", "conditions"], "Ready")?.status === "True";
}

export const podName = (o: KubeObject): string => o.metadata.name ?? "";
