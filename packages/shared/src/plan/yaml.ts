// Reads a plan from YAML text: syntax errors and schema errors both come back with line and column.
import { isNode, LineCounter, parseDocument } from "yaml";
import { type PlanResult, validatePlan } from "./validate.js";

export function parsePlanYaml(text: string): PlanResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((err) => {
        const pos = lineCounter.linePos(err.pos[0]);
        return {
          path: "(document)",
          segments: [],
          message: `YAML: ${err.message.split("\n")[0]}`,
          line: pos.line,
          column: pos.col,
        };
      }),
    };
  }
  const result = validatePlan(doc.toJS());
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
  return result;
}
