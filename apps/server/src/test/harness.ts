// Test harness: a built app on a temporary plan file and data folder, plus a signed-in session helper.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { type BuildOptions, buildApp } from "../app.js";
import type { ServerConfig } from "../config.js";

export const REPO = resolve(import.meta.dirname, "../../../..");
export const LAB_PLAN = join(REPO, "examples/lab.yaml");
export const ADMIN_PASSWORD = "correct horse battery staple";
export const API_TOKEN = "test-token-0123456789abcdef";

export interface Harness {
  app: FastifyInstance;
  dir: string;
  planFile: string;
  announced: string[];
  close: () => Promise<void>;
}

export async function startHarness(
  overrides: Partial<ServerConfig> = {},
  options: BuildOptions = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-ha-test-"));
  const planFile = join(dir, "plan.yaml");
  copyFileSync(LAB_PLAN, planFile);
  const announced: string[] = [];
  const app = await buildApp(
    {
      planFile,
      host: "127.0.0.1",
      port: 0,
      dataDir: join(dir, "data"),
      webDir: join(dir, "no-web"),
      adminPassword: ADMIN_PASSWORD,
      apiToken: API_TOKEN,
      announce: (line) => announced.push(line),
      logLevel: "silent",
      ...overrides,
    },
    options,
  );
  await app.ready();
  return {
    app,
    dir,
    planFile,
    announced,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

export async function signIn(app: FastifyInstance, password = ADMIN_PASSWORD): Promise<Session> {
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "admin", password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers["set-cookie"]);
  return { cookie: setCookie.split(";")[0] ?? "", csrfToken: res.json().csrfToken };
}
