// Server settings from the CLI and the environment, resolved once at start.
import { resolve } from "node:path";
import { parseCidr, parseIp } from "@k3s-ha/shared";

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
  /** From K3S_HA_METRICS_TOKEN: a read-only token accepted on GET /metrics only. */
  metricsToken?: string;
  /** Where the generated first-start admin password is printed (never the logger). */
  announce: (line: string) => void;
  logLevel: "silent" | "error" | "warn" | "info" | "debug";
  /** PEM files of the console's own TLS certificate and key (reloaded when they change). */
  tlsCert?: string;
  tlsKey?: string;
  /** Addresses or CIDRs of reverse proxies whose X-Forwarded-* headers are believed; no proxy by default. */
  trustProxy?: string[];
  /** The one origin operators use (scheme, host, port): the Host and Origin allow-list. */
  publicUrl?: string;
  /** Requests per minute per client (network, session or token) across the API; sign-ins have their own ceiling. */
  rateLimitPerMinute?: number;
  /** From K3S_HA_RUN_RETENTION_DAYS: finished failover runs older than this are deleted (default 90). */
  runRetentionDays?: number;
}

export class ConfigError extends Error {}

/** Parses `--trust-proxy CIDR[,CIDR]`: each entry an IP address or CIDR, never "all". */
export function parseTrustProxy(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const entries = text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix] = entry.split("/");
    if (!address || !parseIp(address) || (prefix !== undefined && !parseCidr(entry))) {
      throw new ConfigError(
        `--trust-proxy: "${entry}" is not an IP address or CIDR (trusting every proxy is not offered)`,
      );
    }
  }
  return entries;
}

/** Parses `--public-url`: an http(s) origin without path, query or credentials. */
export function parsePublicUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`--public-url: "${text}" is not a URL (e.g. https://console.example.org)`);
  }
  if (
    !["http:", "https:"].includes(url.protocol) ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== "/" && url.pathname !== "")
  ) {
    throw new ConfigError(
      `--public-url: "${text}" must be an origin such as https://console.example.org:8443, without path or credentials`,
    );
  }
  return url.origin;
}

export function configFromEnv(options: {
  planFile: string;
  host?: string;
  port?: number;
  dataDir?: string;
  tlsCert?: string;
  tlsKey?: string;
  trustProxy?: string;
  publicUrl?: string;
}): ServerConfig {
  const env = process.env;
  const tlsCert = options.tlsCert ?? env.K3S_HA_TLS_CERT;
  const tlsKey = options.tlsKey ?? env.K3S_HA_TLS_KEY;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) throw new ConfigError("TLS needs both --tls-cert and --tls-key");
  const rate = env.K3S_HA_RATE_LIMIT ? Number(env.K3S_HA_RATE_LIMIT) : undefined;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1)) {
    throw new ConfigError(
      `K3S_HA_RATE_LIMIT must be a whole number of requests per minute, got "${env.K3S_HA_RATE_LIMIT}"`,
    );
  }
  const retention = env.K3S_HA_RUN_RETENTION_DAYS ? Number(env.K3S_HA_RUN_RETENTION_DAYS) : undefined;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 1 || retention > 3650)) {
    throw new ConfigError(
      `K3S_HA_RUN_RETENTION_DAYS must be a whole number of days from 1 to 3650, got "${env.K3S_HA_RUN_RETENTION_DAYS}"`,
    );
  }
  return {
    runRetentionDays: retention,
    tlsCert: tlsCert ? resolve(tlsCert) : undefined,
    tlsKey: tlsKey ? resolve(tlsKey) : undefined,
    trustProxy: parseTrustProxy(options.trustProxy ?? env.K3S_HA_TRUST_PROXY),
    publicUrl: parsePublicUrl(options.publicUrl ?? env.K3S_HA_PUBLIC_URL),
    rateLimitPerMinute: rate,
    planFile: resolve(options.planFile),
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 8080,
    dataDir: resolve(options.dataDir ?? env.K3S_HA_DATA_DIR ?? ".data"),
    webDir: env.K3S_HA_WEB_DIR ? resolve(env.K3S_HA_WEB_DIR) : undefined,
    adminPassword: env.K3S_HA_ADMIN_PASSWORD || undefined,
    apiToken: env.K3S_HA_API_TOKEN || undefined,
    metricsToken: env.K3S_HA_METRICS_TOKEN || undefined,
    announce: (line) => process.stdout.write(`${line}\n`),
    logLevel: (env.K3S_HA_LOG_LEVEL as ServerConfig["logLevel"]) ?? "info",
  };
}
