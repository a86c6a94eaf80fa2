// The outcome of parsing one command's stdout: a domain value, or PARSE_FAILED naming the command and the first
// bytes it printed. Parsers never throw: a shape they do not know is an answer the operator can read.
import type { z } from "zod";

export interface ParseFailure {
  code: "PARSE_FAILED";
  /** The registry id of the command whose output this was. */
  commandId: string;
  message: string;
  /** The first bytes of the output (at most 200 characters), for the page and the logs. */
  head: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ParseFailure };

const HEAD = 200;

export function parseFailed(
  commandId: string,
  message: string,
  stdout: string,
): { ok: false; error: ParseFailure } {
  return { ok: false, error: { code: "PARSE_FAILED", commandId, message, head: stdout.slice(0, HEAD) } };
}

/** vtysh prints errors as text lines starting with `%` (`% Unknown command: …`, `% BGP instance not found`). */
function vtyshError(text: string): string | undefined {
  const line = text.trimStart().split("\n", 1)[0]?.trim();
  return line?.startsWith("%") ? line : undefined;
}

/** FRR's JSON output, or PARSE_FAILED for empty output, vtysh error text and truncated or broken JSON. */
export function parseJsonOutput(commandId: string, stdout: string): Parsed<unknown> {
  const text = stdout.trim();
  if (text === "") return parseFailed(commandId, "the command printed nothing", stdout);
  const error = vtyshError(text);
  if (error) return parseFailed(commandId, `vtysh answered "${error}"`, stdout);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return parseFailed(commandId, `not JSON (truncated or mixed with text?): ${why}`, stdout);
  }
}

/** Validates and reshapes with `schema`; the first issue, with its path, becomes the message. */
export function withSchema<S extends z.ZodType>(
  commandId: string,
  schema: S,
  data: unknown,
  stdout: string,
): Parsed<z.output<S>> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "the top level";
  return parseFailed(commandId, `unexpected shape at ${where}: ${issue?.message ?? "invalid"}`, stdout);
}

/** Runs a parser step that may throw (e.g. a number out of range) as PARSE_FAILED instead. */
export function guarded<T>(commandId: string, stdout: string, fn: () => Parsed<T>): Parsed<T> {
  try {
    return fn();
  } catch (err) {
    return parseFailed(commandId, err instanceof Error ? err.message : String(err), stdout);
  }
}
