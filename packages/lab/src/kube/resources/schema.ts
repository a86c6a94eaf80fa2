// Structural schemas of custom resources: pruning unknown fields, defaults, and validation errors as the apiserver words them.
import { clone, isObject } from "../meta.js";
import {
  type FieldError,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTypeInvalid,
} from "../status.js";
import type { ListRule } from "./types.js";

export interface StructuralSchema {
  type?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: StructuralSchema[];
  allOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
}

const ROOT_KEPT = new Set(["apiVersion", "kind", "metadata"]);

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function childSchema(schema: StructuralSchema, key: string): StructuralSchema | undefined {
  const p = schema.properties?.[key];
  if (p) return p;
  if (isObject(schema.additionalProperties)) return schema.additionalProperties as StructuralSchema;
  return undefined;
}

/**
 * Drops fields the schema does not know (unless preserved) and fills defaults, in place, as the apiserver does;
 * the dropped fields' paths go to `pruned` (for fieldValidation).
 */
export function pruneAndDefault(
  value: unknown,
  schema: StructuralSchema | undefined,
  pruned: string[] = [],
  path = "",
): void {
  if (!schema) return;
  const root = path === "";
  if (isObject(value)) {
    const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
    for (const key of Object.keys(value)) {
      if (root && ROOT_KEPT.has(key)) continue;
      const child = childSchema(schema, key);
      if (!child && !preserve && schema.additionalProperties !== true) {
        delete value[key];
        pruned.push(join(path, key));
        continue;
      }
      pruneAndDefault(value[key], child, pruned, join(path, key));
    }
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      if (value[key] === undefined && prop.default !== undefined) {
        value[key] = clone(prop.default);
        pruneAndDefault(value[key], prop, pruned, join(path, key));
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      pruneAndDefault(item, schema.items, pruned, `${path}[${i}]`);
    });
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(schema: StructuralSchema, value: unknown): boolean {
  if (schema["x-kubernetes-int-or-string"]) return typeof value === "string" || Number.isInteger(value);
  const actual = typeName(value);
  switch (schema.type) {
    case undefined:
      return true;
    case "number":
      return actual === "number" || actual === "integer";
    default:
      return actual === schema.type;
  }
}

/** go-openapi style validation errors (kubeOpenAPIResultToFieldErrors). */
export function validateSchema(
  value: unknown,
  schema: StructuralSchema | undefined,
  path = "",
): FieldError[] {
  if (!schema) return [];
  if (value === null && schema.nullable) return [];
  if (!typeMatches(schema, value)) {
    const expected = schema["x-kubernetes-int-or-string"] ? "integer,string" : (schema.type ?? "");
    const actual = typeName(value);
    return [
      fieldTypeInvalid(path, actual, `${path || "body"} in body must be of type ${expected}: "${actual}"`),
    ];
  }
  const errors: FieldError[] = [];
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(
      fieldNotSupported(
        path,
        value,
        schema.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e))),
      ),
    );
  }
  if (typeof value === "string") errors.push(...validateString(value, schema, path));
  if (typeof value === "number") errors.push(...validateNumber(value, schema, path));
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push(fieldInvalid(path, value, `${path} in body should have at least ${schema.minItems} items`));
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push(fieldInvalid(path, value, `${path} in body should have at most ${schema.maxItems} items`));
    }
    value.forEach((item, i) => {
      errors.push(...validateSchema(item, schema.items, `${path}[${i}]`));
    });
  }
  if (isObject(value)) {
    for (const req of schema.required ?? []) {
      if (value[req] === undefined) errors.push(fieldRequired(join(path, req)));
    }
    for (const [key, child] of Object.entries(value)) {
      if (!path && ROOT_KEPT.has(key)) continue;
      errors.push(...validateSchema(child, childSchema(schema, key), join(path, key)));
    }
  }
  for (const sub of schema.allOf ?? []) errors.push(...validateSchema(value, sub, path));
  return errors;
}

const patterns = new Map<string, RegExp | null>();

/** ECMAScript stands in for RE2 here; a pattern JavaScript cannot compile is not enforced. */
function patternMatches(pattern: string, value: string): boolean {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    patterns.set(pattern, re);
  }
  return re === null || re.test(value);
}

function validateString(value: string, schema: StructuralSchema, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.pattern && !patternMatches(schema.pattern, value)) {
    errors.push(fieldInvalid(path, value, `${path} in body should match '${schema.pattern}'`));
  }
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
    errors.push({
      type: "FieldValueTooLong",
      field: path,
      body: `Too long: may not be more than ${schema.maxLength} bytes`,
    });
  }
  if (schema.minLength !== undefined && [...value].length < schema.minLength) {
    errors.push(
      fieldInvalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`),
    );
  }
  return errors;
}

function validateNumber(value: number, schema: StructuralSchema, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.minimum !== undefined) {
    const bad = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (bad) {
      const rel = schema.exclusiveMinimum ? "greater than" : "greater than or equal to";
      errors.push(fieldInvalid(path, value, `${path} in body should be ${rel} ${schema.minimum}`));
    }
  }
  if (schema.maximum !== undefined) {
    const bad = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (bad) {
      const rel = schema.exclusiveMaximum ? "less than" : "less than or equal to";
      errors.push(fieldInvalid(path, value, `${path} in body should be ${rel} ${schema.maximum}`));
    }
  }
  return errors;
}

/** The list rule declared at a path (field names only, list items implied). */
export function schemaListRule(
  schema: StructuralSchema | undefined,
  path: readonly string[],
): ListRule | undefined {
  let cur = schema;
  for (const key of path) {
    if (!cur) return undefined;
    if (cur.type === "array") cur = cur.items;
    cur = cur ? childSchema(cur, key) : undefined;
  }
  if (cur?.type !== "array") return undefined;
  const type = cur["x-kubernetes-list-type"];
  if (type === "set") return { kind: "set" };
  if (type === "map") return { kind: "map", keys: cur["x-kubernetes-list-map-keys"] ?? [] };
  return undefined;
}
