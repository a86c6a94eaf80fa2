// Several vtysh commands in one vtysh process on one SSH channel — `[sudo -n] vtysh -c A -c B …` — so a router poll
// costs one channel (an sshd session each is most of a command's ~150 ms) instead of nine. vtysh stops at the first
// command that fails, so a batch either answers every part or is redone one by one to name the failing command.
import type { RouterCommandId } from "./ids.js";
import {
  type BuiltCommand,
  buildCommand,
  type CommandParams,
  type CommandTarget,
  shellQuote,
  VTYSH,
} from "./registry.js";

export interface BatchPart<I extends RouterCommandId = RouterCommandId> {
  id: I;
  params: CommandParams<I>;
}

export interface BuiltBatch {
  ids: RouterCommandId[];
  line: string;
  maxOutputBytes: number;
  timeoutMs: number;
}

/** One command line for all parts (each built and validated as on its own), or the first part's error. */
export function buildVtyshBatch(
  parts: readonly BatchPart[],
  target: CommandTarget,
): { ok: true; batch: BuiltBatch } | { ok: false; message: string } {
  const built: BuiltCommand[] = [];
  for (const p of parts) {
    const b = buildCommand(p.id, p.params as never, target);
    if (!b.ok) return b;
    built.push(b.command);
  }
  const first = built[0];
  if (!first) return { ok: false, message: "an empty batch" };
  // Each part is `[sudo -n] <vtysh> -c <command>`: keep the head once, then every `-c <command>`.
  const isVtysh = (b: BuiltCommand) => {
    const c = b.argv.indexOf("-c");
    return c > 0 && Object.values(VTYSH).includes(b.argv[c - 1] ?? "") && b.argv.length === c + 2;
  };
  const head = first.argv.slice(0, first.argv.indexOf("-c"));
  if (!built.every(isVtysh) || built.some((b) => b.argv.slice(0, head.length).join("\0") !== head.join("\0")))
    return { ok: false, message: "only vtysh commands for one router batch together" };
  const argv = [...head, ...built.flatMap((b) => b.argv.slice(head.length))];
  return {
    ok: true,
    batch: {
      ids: built.map((b) => b.id as RouterCommandId),
      line: argv.map(shellQuote).join(" "),
      maxOutputBytes: built.reduce((a, b) => a + b.maxOutputBytes, 0),
      timeoutMs: Math.min(60_000, built.reduce((a, b) => Math.max(a, b.timeoutMs), 0) * 2),
    },
  };
}

/** The end (exclusive) of the JSON object or array starting at `start`, strings and escapes respected. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i++;
        else if (c === 34) break;
      }
    } else if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The batch's stdout cut into its parts' outputs: each part a JSON object or array, in order. Anything else (vtysh's
 * `% …` error text, a truncated value, a count that differs) is an error: redo the parts one by one.
 */
export function splitVtyshBatch(
  stdout: string,
  parts: number,
): { ok: true; outputs: string[] } | { ok: false; message: string } {
  const outputs: string[] = [];
  let i = 0;
  while (outputs.length < parts) {
    while (i < stdout.length && /\s/.test(stdout[i] ?? "")) i++;
    const ch = stdout[i];
    if (ch !== "{" && ch !== "[") {
      const line = stdout.slice(i, stdout.indexOf("\n", i) === -1 ? undefined : stdout.indexOf("\n", i));
      return {
        ok: false,
        message: `part ${outputs.length + 1} of ${parts}: ${line.trim().slice(0, 120) || "no output"}`,
      };
    }
    const end = valueEnd(stdout, i);
    if (end < 0) return { ok: false, message: `part ${outputs.length + 1} of ${parts}: cut off` };
    outputs.push(stdout.slice(i, end));
    i = end;
  }
  if (stdout.slice(i).trim()) return { ok: false, message: `more output than ${parts} parts` };
  return { ok: true, outputs };
}
