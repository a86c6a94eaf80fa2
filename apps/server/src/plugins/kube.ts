// The Kubernetes adapter: the plan's kubeconfig (and context) loaded with @kubernetes/client-node, raw GETs with a
// per-request timeout, and the API's errors translated into stable codes (K8S_FORBIDDEN with the verb and resource,
// K8S_UNAUTHORIZED, K8S_UNREACHABLE…). The kubeconfig's credentials stay in the server; nothing of them is logged.
import { statSync } from "node:fs";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type { Plan } from "@k3s-ha/shared";
import { KubeConfig } from "@kubernetes/client-node";
import fp from "fastify-plugin";

export class KubeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** What a probe or a request needs to talk to the API as the kubeconfig's user. */
export interface KubeTls {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  /** Bearer token or basic auth, as headers. */
  headers: Record<string, string>;
  servername?: string;
  rejectUnauthorized: boolean;
}

export interface KubeAccess {
  kc: KubeConfig;
  /** The API server the kubeconfig names. */
  server: URL;
  tls: KubeTls;
  /** GET a path as JSON; throws KubeError. `what` names the verb and resource for error messages. */
  getJson(path: string, what: { verb: string; resource: string }, signal?: AbortSignal): Promise<unknown>;
  /** POST a JSON body (create); a 201 or 200 answers the object. */
  postJson(path: string, body: unknown, what: { verb: string; resource: string }): Promise<unknown>;
  /** A JSON merge patch (RFC 7386); the answer is the patched object. */
  mergePatch(path: string, body: unknown, what: { verb: string; resource: string }): Promise<unknown>;
  /**
   * Server-side apply of `body` (JSON is YAML) to the object's path, as `fieldManager`; `dryRun` answers what the
   * API server would store, `force` takes over fields another manager owns. The answer is the object.
   */
  serverSideApply(
    path: string,
    body: unknown,
    what: { verb: string; resource: string },
    opts: { fieldManager: string; dryRun?: boolean; force?: boolean },
  ): Promise<unknown>;
  /** DELETE (background propagation); a 200 or 202 answers the object or a Status. */
  deleteJson(
    path: string,
    what: { verb: string; resource: string },
    opts?: { dryRun?: boolean },
  ): Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Loads the plan's kubeconfig; K8S_CONFIG_INVALID names the file and what is wrong with it. */
export async function kubeAccess(plan: Plan): Promise<KubeAccess> {
  const file = plan.kubernetes.kubeconfig;
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not a readable kubeconfig";
    throw new KubeError("K8S_CONFIG_INVALID", `kubernetes.kubeconfig ${file}: ${why}`);
  }
  if (plan.kubernetes.context) {
    if (!kc.getContextObject(plan.kubernetes.context))
      throw new KubeError(
        "K8S_CONFIG_INVALID",
        `kubeconfig ${file} has no context ${plan.kubernetes.context}`,
      );
    kc.setCurrentContext(plan.kubernetes.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeError("K8S_CONFIG_INVALID", `kubeconfig ${file} names no current cluster`);
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new KubeError("K8S_CONFIG_INVALID", `kubeconfig ${file}: the cluster's server is not a URL`);
  }
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === "string") headers[k] = v;
  if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString("base64")}`;
  const tls: KubeTls = {
    ...(opts.ca ? { ca: opts.ca as Buffer | string } : {}),
    ...(opts.cert ? { cert: opts.cert as Buffer | string } : {}),
    ...(opts.key ? { key: opts.key as Buffer | string } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    headers,
    rejectUnauthorized: !cluster.skipTLSVerify,
  };
  return {
    kc,
    server,
    tls,
    getJson: (path, what, signal) => requestJson(server, tls, "GET", path, what, undefined, signal),
    postJson: (path, body, what) => requestJson(server, tls, "POST", path, what, body),
    mergePatch: (path, body, what) => requestJson(server, tls, "PATCH", path, what, body),
    serverSideApply: (path, body, what, opts) => {
      const q = new URLSearchParams({ fieldManager: opts.fieldManager, fieldValidation: "Strict" });
      if (opts.dryRun) q.set("dryRun", "All");
      if (opts.force) q.set("force", "true");
      return requestJson(server, tls, "APPLY", `${path}?${q}`, what, body);
    },
    deleteJson: (path, what, opts) => {
      const q = new URLSearchParams({ propagationPolicy: "Background" });
      if (opts?.dryRun) q.set("dryRun", "All");
      return requestJson(server, tls, "DELETE", `${path}?${q}`, what);
    },
  };
}

function httpError(status: number, body: string, what: { verb: string; resource: string }): KubeError {
  let message = "";
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "message" in parsed && typeof parsed.message === "string")
      message = parsed.message;
    // A Status's causes say which object is in the way (an eviction's PodDisruptionBudget, a field's error).
    const causes = (parsed as { details?: { causes?: { message?: unknown }[] } })?.details?.causes ?? [];
    const said = causes.map((c) => c.message).filter((m): m is string => typeof m === "string");
    if (said.length) message = `${message} ${said.join("; ")}`.trim();
  } catch {
    message = body.slice(0, 200).trim();
  }
  const action = `${what.verb} ${what.resource}`;
  if (status === 403)
    return new KubeError(
      "K8S_FORBIDDEN",
      `cannot ${action}: forbidden${message ? ` (${message})` : ""}`,
      status,
    );
  if (status === 401)
    return new KubeError(
      "K8S_UNAUTHORIZED",
      `cannot ${action}: the kubeconfig's credentials were refused`,
      status,
    );
  if (status === 404)
    return new KubeError("K8S_NOT_FOUND", `cannot ${action}: not served by this cluster`, status);
  if (status === 409)
    return new KubeError("K8S_CONFLICT", `cannot ${action}: ${message || "it exists already"}`, status);
  if (status === 422 || status === 400)
    return new KubeError("K8S_INVALID", `cannot ${action}: ${message || "the object is invalid"}`, status);
  if (status === 429)
    return new KubeError(
      "K8S_TOO_MANY_REQUESTS",
      `cannot ${action}: ${message || "try again later"}`,
      status,
    );
  return new KubeError(
    "K8S_ERROR",
    `cannot ${action}: HTTP ${status}${message ? ` (${message})` : ""}`,
    status,
  );
}

function requestJson(
  server: URL,
  tls: KubeTls,
  verb: "GET" | "POST" | "PATCH" | "APPLY" | "DELETE",
  path: string,
  what: { verb: string; resource: string },
  body?: unknown,
  signal?: AbortSignal,
): Promise<unknown> {
  const method = verb === "APPLY" ? "PATCH" : verb;
  const contentType =
    verb === "APPLY"
      ? "application/apply-patch+yaml"
      : verb === "PATCH"
        ? "application/merge-patch+json"
        : "application/json";
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const timeout = AbortSignal.timeout(DEFAULT_TIMEOUT_MS);
    const abort = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const url = new URL(path, server);
    const req = httpsRequest(
      url,
      {
        method,
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert ? { cert: tls.cert } : {}),
        ...(tls.key ? { key: tls.key } : {}),
        ...(tls.servername ? { servername: tls.servername } : {}),
        rejectUnauthorized: tls.rejectUnauthorized,
        headers: {
          ...tls.headers,
          accept: "application/json",
          ...(payload !== undefined
            ? { "content-type": contentType, "content-length": String(Buffer.byteLength(payload)) }
            : {}),
        },
        signal: abort,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy();
            reject(new KubeError("K8S_ERROR", `${what.verb} ${what.resource}: answer over 64 MiB`));
          } else chunks.push(c);
        });
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          if (status !== 200 && status !== 201 && status !== 202)
            return reject(httpError(status, text, what));
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new KubeError("K8S_ERROR", `${what.verb} ${what.resource}: the answer is not JSON`));
          }
        });
        res.on("error", (err) => reject(unreachable(err, server, timeout.aborted)));
      },
    );
    req.on("error", (err) => reject(unreachable(err, server, timeout.aborted)));
    req.end(payload);
  });
}

/** Connection failures: the API server could not be reached (or spoke TLS we cannot trust). */
export function unreachable(err: unknown, server: URL, timedOut = false): KubeError {
  if (err instanceof KubeError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? "";
  if (timedOut) return new KubeError("K8S_TIMEOUT", `the API server ${server.host} did not answer in time`);
  if (/CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY/.test(code))
    return new KubeError(
      "K8S_TLS_ERROR",
      `the API server ${server.host}'s certificate was refused (${code})`,
    );
  return new KubeError(
    "K8S_UNREACHABLE",
    `the API server ${server.host} cannot be reached${code ? ` (${code})` : ""}`,
  );
}

declare module "fastify" {
  interface FastifyInstance {
    kube: {
      /** The access for the current plan (cached until the plan changes). */
      access(): Promise<KubeAccess>;
    };
  }
}

export default fp(
  async (app) => {
    let cached: { key: string; access: Promise<KubeAccess> } | undefined;
    app.decorate("kube", {
      access() {
        const plan = app.planSource.plan;
        if (!plan)
          return Promise.reject(new KubeError("PLAN_INVALID", "no valid plan: the cluster is not known"));
        // The file's mtime too: `lab up --preset vip` and operators rewrite the kubeconfig in place.
        let mtime = 0;
        try {
          mtime = statSync(plan.kubernetes.kubeconfig).mtimeMs;
        } catch {
          // kubeAccess names the missing file
        }
        const key = JSON.stringify([plan.kubernetes, mtime]);
        if (cached?.key !== key) {
          const access = kubeAccess(plan);
          cached = { key, access };
          // A failed load is retried at the next call, not cached.
          access.catch(() => {
            if (cached?.access === access) cached = undefined;
          });
        }
        return cached.access;
      },
    });
  },
  { name: "kube", dependencies: ["plan"] },
);
