// Reads a plan from YAML text: syntax errors and schema errors both come back with line and column, never a throw.
import { type Document, isAlias, isMap, isNode, isPair, isSeq, LineCounter, parseDocument } from "yaml";
import { capPlanErrors, type PlanError, type PlanResult, safeMessage, validatePlan } from "./validate.js";

/**
 * The most values a plan may expand to once aliases are followed. A plan with 500 nodes sharing one anchored
 * `ssh:` block expands to a few thousand; an alias bomb of a few lines expands to millions and is refused here,
 * before anything (validation, linting, a JSON response) walks the expanded tree.
 */
export const MAX_EXPANDED_VALUES = 100_000;

function documentError(message: string, line?: number, column?: number): PlanResult {
  return { ok: false, errors: [{ path: "(document)", segments: [], message, line, column }] };
}

/** Counts the values the document expands to, following aliases, in one memoised walk; Infinity for a cycle. */
export function expandedValueCount(doc: Document, limit = MAX_EXPANDED_VALUES): number {
  const memo = new Map<unknown, number>();
  const visiting = new Set<unknown>();
  const count = (node: unknown): number => {
    if (node === null || node === undefined) return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (visiting.has(node)) return Number.POSITIVE_INFINITY;
    visiting.add(node);
    let total = 1;
    if (isAlias(node)) total = count(node.resolve(doc));
    else if (isPair(node)) total = count(node.key) + count(node.value);
    else if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        total += count(item);
        if (total > limit) break;
      }
    }
    visiting.delete(node);
    memo.set(node, total);
    return total;
  };
  return count(doc.contents);
}

export function parsePlanYaml(text: string): PlanResult {
  try {
    return parseChecked(text);
  } catch (err) {
    // The YAML library or a rule threw on input nobody foresaw: that is still a bad file, not a crash.
    return documentError(`the file cannot be read as a plan: ${safeMessage((err as Error).message)}`);
  }
}

function parseChecked(text: string): PlanResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    return capPlanErrors({
      ok: false,
      errors: doc.errors.map((err): PlanError => {
        const pos = lineCounter.linePos(err.pos[0]);
        return {
          path: "(document)",
          segments: [],
          message: `YAML: ${safeMessage(err.message.split("\n")[0] ?? "")}`,
          line: pos.line,
          column: pos.col,
        };
      }),
    });
  }
  const values = expandedValueCount(doc);
  if (!Number.isFinite(values)) return documentError("YAML: an alias refers to the node that contains it");
  if (values > MAX_EXPANDED_VALUES) {
    return documentError(
      `YAML: the document expands to more than ${MAX_EXPANDED_VALUES} values once aliases are followed ` +
        "(an alias bomb?); a plan needs a few thousand at most",
    );
  }
  const result = validatePlan(doc.toJS({ maxAliasCount: -1 }));
  if (result.ok) return result;
  for (const error of result.errors) {
    // Point at the value, or at the nearest parent that exists (a missing field is reported at its parent).
    for (let depth = error.segments.length; depth >= 0; depth--) {
      const node = doc.getIn(error.segments.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        error.line = pos.line;
        error.column = pos.col;
        break;
      }
    }
  }
  return capPlanErrors(result);
}
