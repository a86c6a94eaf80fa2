// Label and field selectors: the query-string grammar (labels.Parse, fields.ParseSelector) and metav1.LabelSelector.
import { badRequest } from "../status.js";

export type LabelOp = "=" | "!=" | "in" | "notin" | "exists" | "!exists" | ">" | "<";

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}"`);
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value)) throw badRequest(`unable to parse requirement: invalid label value: "${value}"`);
  return value;
}

function parseRequirement(text: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (setMatch) {
    const [, key = "", op = "in", list = ""] = setMatch;
    const values = list
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v.length > 0)
      .map(checkValue);
    if (values.length === 0)
      throw badRequest(`unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`);
    return { key: checkKey(key), op: op as LabelOp, values };
  }
  if (text.startsWith("!")) return { key: checkKey(text.slice(1).trim()), op: "!exists", values: [] };
  const opMatch = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (opMatch) {
    const [, key = "", rawOp = "=", value = ""] = opMatch;
    const op: LabelOp = rawOp === "==" ? "=" : (rawOp as LabelOp);
    if ((op === ">" || op === "<") && !/^-?\d+$/.test(value.trim())) {
      throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
    }
    return { key: checkKey(key), op, values: [checkValue(value.trim())] };
  }
  return { key: checkKey(text), op: "exists", values: [] };
}

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (!text) return [];
  return splitTop(text).map(parseRequirement);
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=":
        return has && v === r.values[0];
      case "!=":
        return !has || v !== r.values[0];
      case "in":
        return has && r.values.includes(v ?? "");
      case "notin":
        return !has || !r.values.includes(v ?? "");
      case "exists":
        return has;
      case "!exists":
        return !has;
      case ">":
        return has && /^-?\d+$/.test(v ?? "") && Number(v) > Number(r.values[0]);
      case "<":
        return has && /^-?\d+$/.test(v ?? "") && Number(v) < Number(r.values[0]);
    }
    return false;
  });
}

// ---- metav1.LabelSelector (PDBs, Deployments, DaemonSets, Services' plain map) ----

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** metav1.LabelSelectorAsSelector: In, NotIn, Exists, DoesNotExist. */
export function selectorFromObject(sel: LabelSelectorObject | undefined): LabelSelector {
  if (!sel) return [];
  const reqs: LabelSelector = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: "=",
    values: [v],
  }));
  for (const e of sel.matchExpressions ?? []) {
    const op: LabelOp | undefined = (
      { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!exists" } as Record<string, LabelOp>
    )[e.operator];
    if (!op) throw new Error(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return reqs;
}

export function selectorFromMap(map: Record<string, string> | undefined): LabelSelector {
  return Object.entries(map ?? {}).map(([key, v]) => ({ key, op: "=", values: [v] }));
}

// ---- field selectors ----

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  return splitTop(text).map((part) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field = "", op = "=", value = ""] = m;
    return { field: field.trim(), op: op === "!=" ? "!=" : "=", value: value.trim() };
  });
}

export function matchesFields(reqs: readonly FieldRequirement[], fields: Record<string, string>): boolean {
  return reqs.every((r) => (r.op === "=" ? fields[r.field] === r.value : fields[r.field] !== r.value));
}
