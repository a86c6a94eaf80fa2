// Server settings from the CLI and the environment, resolved once at start.
import { resolve } from "node:path";

export interface ServerConfig {
  planFile: string;
  host: string;
  port: number;
  /** Folder of the embedded database. */
  dataDir: string;
  /** Built web app to serve (absent in tests and development). */
  webDir?: string;
  /** From K3S_HA_ADMIN_PASSWORD: sets the admin password on every start. */
  adminPassword?: string;
  /** From K3S_HA_API_TOKEN: accepted as `Authorization: Bearer` for automation. */
  apiToken?: string;
  /** Where the generated first-start admin password is printed (never the logger). */
  announce: (line: string) => void;
  logLevel: "silent" | "error" | "warn" | "info" | "debug";
}

export function configFromEnv(options: {
  planFile: string;
  host?: string;
  port?: number;
  dataDir?: string;
}): ServerConfig {
  const env = process.env;
  return {
    planFile: resolve(options.planFile),
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 8080,
    dataDir: resolve(options.dataDir ?? env.K3S_HA_DATA_DIR ?? ".data"),
    webDir: env.K3S_HA_WEB_DIR ? resolve(env.K3S_HA_WEB_DIR) : undefined,
    adminPassword: env.K3S_HA_ADMIN_PASSWORD || undefined,
    apiToken: env.K3S_HA_API_TOKEN || undefined,
    announce: (line) => process.stdout.write(`${line}\n`),
    logLevel: (env.K3S_HA_LOG_LEVEL as ServerConfig["logLevel"]) ?? "info",
  };
}
