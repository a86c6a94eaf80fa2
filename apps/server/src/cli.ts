#!/usr/bin/env node
// The k3s-ha command line: plan lint, serve (and, with the lab, lab commands).
import { parseArgs } from "node:util";
import { planLint } from "./cli/plan-lint.js";
import { ConfigError, configFromEnv } from "./config.js";
import { startServer } from "./server.js";
import { VERSION } from "./version.js";

const USAGE = `k3s-ha ${VERSION} — plan, set up and failure-test a highly available k3s control plane

Usage:
  k3s-ha plan lint FILE [--json]              review a plan file (exit 0 ok, 1 errors found, 2 invalid file)
  k3s-ha serve --plan FILE [--port 8080] [--host 127.0.0.1] [--data DIR]
               [--tls-cert FILE --tls-key FILE] [--trust-proxy CIDR[,CIDR]] [--public-url URL]
                                              serve the console and API for a plan
  k3s-ha --version

Environment:
  K3S_HA_ADMIN_PASSWORD   password of user "admin" (otherwise generated and printed once on first start)
  K3S_HA_API_TOKEN        token accepted as "Authorization: Bearer …" for automation
  K3S_HA_METRICS_TOKEN    read-only token accepted on GET /metrics only (Prometheus)
  K3S_HA_DATA_DIR         folder of the embedded database (default ./.data)
  K3S_HA_WEB_DIR          built web app to serve (default apps/web/dist)
  K3S_HA_LOG_LEVEL        silent | error | warn | info | debug (default info)
  K3S_HA_TLS_CERT, K3S_HA_TLS_KEY   PEM files for the console's own TLS (reloaded when they change)
  K3S_HA_TRUST_PROXY      proxies whose X-Forwarded-* headers are believed (addresses or CIDRs)
  K3S_HA_PUBLIC_URL       the one origin operators use; Host and Origin must match it
  K3S_HA_RATE_LIMIT       requests per minute per client network or API token (default 1200)`;

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new UsageError(`--${name} must be a port number (1-65535), got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean", default: false },
      plan: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      "trust-proxy": { type: "string" },
      "public-url": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", default: false },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const output = {
    out: (t: string) => process.stdout.write(`${t}\n`),
    err: (t: string) => process.stderr.write(`${t}\n`),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
  if (command === "plan" && sub === "lint") {
    const file = rest[0];
    if (!file || rest.length > 1) throw new UsageError("plan lint needs exactly one FILE");
    return planLint(file, values.json, output);
  }
  if (command === "serve") {
    if (sub !== undefined) throw new UsageError(`serve takes no argument "${sub}"; use --plan FILE`);
    if (!values.plan) throw new UsageError("serve needs --plan FILE");
    const config = configFromEnv({
      planFile: values.plan,
      host: values.host,
      port: positiveInt("port", values.port, 8080),
      dataDir: values.data,
      tlsCert: values["tls-cert"],
      tlsKey: values["tls-key"],
      trustProxy: values["trust-proxy"],
      publicUrl: values["public-url"],
    });
    await startServer(config);
    return -1; // keep running
  }
  throw new UsageError(`unknown command "${[command, sub].filter(Boolean).join(" ")}"`);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (
      err instanceof UsageError ||
      err instanceof ConfigError ||
      (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
    ) {
      process.stderr.write(`k3s-ha: ${(err as Error).message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`k3s-ha: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
  },
);
