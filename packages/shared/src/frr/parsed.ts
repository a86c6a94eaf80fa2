// The outcome of parsing one command's stdout: a domain value, or PARSE_FAILED naming the command and the first
// bytes it printed. Parsers never throw: a shape they do not know is an answer the operator can read.
import type { z } from "zod";
import { JsonCursor, JsonShapeError, JsonSyntaxError, syntaxError } from "./json-cursor.js";

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

/** Where FRR's JSON is in stdout (trimmed), or PARSE_FAILED for empty output and vtysh error text. */
function jsonBounds(commandId: string, stdout: string): Parsed<{ start: number; end: number }> {
  const start = stdout.length - stdout.trimStart().length;
  const end = stdout.trimEnd().length;
  if (end <= start) return parseFailed(commandId, "the command printed nothing", stdout);
  const error = vtyshError(stdout.slice(start, Math.min(end, start + 4096)));
  if (error) return parseFailed(commandId, `vtysh answered "${error}"`, stdout);
  return { ok: true, value: { start, end } };
}

const notJson = (commandId: string, why: string, stdout: string) =>
  parseFailed(commandId, `not JSON (truncated or mixed with text?): ${why}`, stdout);

/** FRR's JSON output, or PARSE_FAILED for empty output, vtysh error text and truncated or broken JSON. */
export function parseJsonOutput(commandId: string, stdout: string): Parsed<unknown> {
  const b = jsonBounds(commandId, stdout);
  if (!b.ok) return b;
  try {
    return { ok: true, value: JSON.parse(stdout.slice(b.value.start, b.value.end)) as unknown };
  } catch (err) {
    return notJson(commandId, err instanceof Error ? err.message : String(err), stdout);
  }
}

/**
 * FRR's JSON output read by `read` with a JsonCursor, without building the document (for outputs too large to
 * JSON.parse): PARSE_FAILED as parseJsonOutput gives it, or naming the path of a value `read` does not know.
 */
export function readJsonOutput<T>(commandId: string, stdout: string, read: (c: JsonCursor) => T): Parsed<T> {
  return guarded(commandId, stdout, () => {
    const b = jsonBounds(commandId, stdout);
    if (!b.ok) return b;
    const { start, end } = b.value;
    try {
      const c = new JsonCursor(stdout, start, end);
      const value = read(c);
      c.done();
      return { ok: true, value };
    } catch (err) {
      if (err instanceof JsonSyntaxError) return notJson(commandId, err.message, stdout);
      if (!(err instanceof JsonShapeError)) throw err;
      const broken = syntaxError(stdout, start, end); // broken JSON is the better answer, as with JSON.parse
      if (broken) return notJson(commandId, broken.message, stdout);
      const where = err.path.length ? err.path.join(".") : "the top level";
      return parseFailed(commandId, `unexpected shape at ${where}: ${err.message}`, stdout);
    }
  });
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
