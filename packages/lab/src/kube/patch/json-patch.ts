// JSON patch (RFC 6902): add, remove, replace, move, copy and test over JSON pointers (RFC 6901).
import { clone, isObject, jsonEqual } from "../meta.js";

export class JsonPatchError extends Error {}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function parentOf(doc: unknown, tokens: string[]): { parent: unknown; last: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw new JsonPatchError(`doc is missing path: "/${tokens.join("/")}"`);
  }
  return { parent: cur, last: tokens[tokens.length - 1] ?? "" };
}

function arrayIndex(arr: unknown[], token: string, forAdd: boolean): number {
  if (forAdd && token === "-") return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchError(`invalid array index "${token}"`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length))
    throw new JsonPatchError(`array index ${i} out of bounds`);
  return i;
}

function read(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else throw new JsonPatchError(`doc is missing path: "/${tokens.join("/")}"`);
  }
  return cur;
}

function add(doc: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw new JsonPatchError(`doc is missing path: "/${tokens.join("/")}"`);
  return doc;
}

function remove(doc: unknown, tokens: string[]): unknown {
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new JsonPatchError(`Unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new JsonPatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = clone(target);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw new JsonPatchError("invalid operation");
    }
    const op = raw as unknown as Operation;
    const path = parsePointer(op.path);
    switch (op.op) {
      case "add":
        doc = add(doc, path, clone(op.value));
        break;
      case "remove":
        doc = remove(doc, path);
        break;
      case "replace":
        read(doc, path);
        doc = path.length === 0 ? clone(op.value) : add(remove(doc, path), path, clone(op.value));
        break;
      case "move": {
        const from = parsePointer(op.from ?? "");
        const value = read(doc, from);
        doc = add(remove(doc, from), path, value);
        break;
      }
      case "copy":
        doc = add(doc, path, clone(read(doc, parsePointer(op.from ?? ""))));
        break;
      case "test":
        if (!jsonEqual(read(doc, path), op.value))
          throw new JsonPatchError(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
