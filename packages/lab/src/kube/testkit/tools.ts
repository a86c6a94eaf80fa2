// Test tools: kubectl runs, raw HTTPS requests, bounded waits, files, and reading Status errors.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import type { KeyPair, TestCerts } from "./certs.js";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs /usr/bin/kubectl against a kubeconfig, with its own cache dir and a hard time limit. */
export function kubectl(
  kubeconfig: string,
  args: string[],
  options: { timeoutMs?: number; input?: string } = {},
) {
  const cacheDir = path.join(path.dirname(kubeconfig), "kubectl-cache");
  return new Promise<KubectlResult>((resolve) => {
    const child = execFile(
      "/usr/bin/kubectl",
      ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args],
      {
        timeout: options.timeoutMs ?? 30_000,
        env: { ...process.env, HOME: path.dirname(kubeconfig), KUBECTL_NO_DISPATCH: "1" },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export function writeFile(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls until `probe` returns a value (not undefined/false), bounded by time and attempts. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  const maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1;
  for (let attempt = 0; attempt < maxAttempts && Date.now() <= deadline; attempt++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** One HTTPS request with a client certificate or token, for asserting exact wire shapes. */
export function rawRequest(
  url: string,
  certs: TestCerts,
  options: {
    method?: string;
    path: string;
    user?: KeyPair | { token: string } | null;
    body?: string;
    headers?: Record<string, string>;
  },
): Promise<RawResponse> {
  const target = new URL(options.path, url);
  const user = options.user === undefined ? certs.admin : options.user;
  const tlsAuth =
    user && "cert" in user ? { cert: readFileSync(user.cert), key: readFileSync(user.key) } : {};
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (user && "token" in user) headers.authorization = `Bearer ${user.token}`;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      target,
      { method: options.method ?? "GET", ca: readFileSync(certs.ca.cert), headers, ...tlsAuth },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("aborted", () => reject(new Error("response aborted")));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(15_000, () => req.destroy(new Error("request timed out")));
    req.end(options.body);
  });
}

/** The Status body of a client-node ApiException (its body is the response text). */
export function statusOf(err: unknown): Record<string, unknown> {
  const body = (err as { body?: unknown }).body;
  if (typeof body === "string") return JSON.parse(body) as Record<string, unknown>;
  return (body ?? {}) as Record<string, unknown>;
}

/** Awaits a promise that must reject, and returns the rejection. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the request to fail");
}
