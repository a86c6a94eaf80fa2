// Running commands for the lab: bounded in time, inside a namespace when asked, with errors that say what ran.
import { spawn } from "node:child_process";

export interface RunOptions {
  /** Network namespace to run in (`ip netns exec NS …`). */
  ns?: string;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  /** Kill the command after this long (default 15 s). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Return a failed result instead of throwing. */
  allowFail?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
  ) {
    const detail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
    super(`command failed (exit ${result.code}): ${command}${detail ? `\n${detail}` : ""}`);
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

export function commandLine(cmd: string, args: readonly string[], ns?: string): string {
  const parts = ns ? ["ip", "netns", "exec", ns, cmd, ...args] : [cmd, ...args];
  return parts.map(quote).join(" ");
}

/** Runs a command to completion; throws CommandError on a non-zero exit unless allowFail. */
export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const argv = options.ns ? ["netns", "exec", options.ns, cmd, ...args] : [...args];
  const file = options.ns ? "ip" : cmd;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", (err) => reject(new Error(`cannot run ${cmd}: ${err.message}`)));
    child.on("close", (code, signal) => {
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr };
      if (signal === "SIGKILL" && code === null) result.stderr += `\n(timed out after ${timeoutMs} ms)`;
      if (result.code !== 0 && !options.allowFail)
        reject(new CommandError(commandLine(cmd, args, options.ns), result));
      else resolve(result);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** Runs a command and returns its stdout. */
export async function output(
  cmd: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  return (await run(cmd, args, options)).stdout;
}

/** Runs a list of `ip` commands in one process (`ip -batch -`), failing on the first error. */
export async function ipBatch(lines: readonly string[], ns?: string): Promise<void> {
  if (lines.length === 0) return;
  const args = ns ? ["-n", ns, "-batch", "-"] : ["-batch", "-"];
  await run("ip", args, { input: `${lines.join("\n")}\n` });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns a value other than undefined, at most `attempts` times and `timeoutMs` in total.
 * Every wait loop in the lab goes through here, so none can spin forever.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const attempts = Math.ceil(timeoutMs / intervalMs) + 1;
  let lastError: unknown;
  for (let i = 0; i < attempts && Date.now() <= deadline; i++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const why = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
}
