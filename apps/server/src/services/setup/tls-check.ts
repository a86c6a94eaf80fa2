// What a server shows on 6443: the SANs of its serving certificate (a TLS handshake verifying the chain with the
// kubeconfig's CA), and whether /readyz answers without credentials (the API Service's readiness probe needs it).
import { request } from "node:https";
import { connect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { canonicalIp } from "@k3s-ha/shared";
import type { KubeTls } from "../../plugins/kube.js";

export interface ServedCert {
  ok: boolean;
  /** DNS names and IP addresses (canonical) on the certificate. */
  sans: string[];
  error?: string;
}

export function servedSans(
  address: string,
  port: number,
  tls: KubeTls,
  signal: AbortSignal,
): Promise<ServedCert> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      socket: connect({ host: address, port }),
      ...(tls.ca ? { ca: tls.ca } : {}),
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => finish({ ok: false, sans: [], error: "timed out" }), 5_000);
    const onAbort = () => finish({ ok: false, sans: [], error: "aborted" });
    signal.addEventListener("abort", onAbort, { once: true });
    function finish(r: ServedCert) {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(r);
    }
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      const sans = (cert.subjectaltname ?? "")
        .split(/,\s*/)
        .map((s) => s.replace(/^(DNS|IP Address):/, ""))
        .filter(Boolean)
        .map((s) => canonicalIp(s) ?? s.toLowerCase());
      finish({
        ok: socket.authorized,
        sans,
        ...(socket.authorized
          ? {}
          : { error: `not signed by the kubeconfig's CA (${socket.authorizationError})` }),
      });
    });
    socket.once("error", (err: NodeJS.ErrnoException) =>
      finish({ ok: false, sans: [], error: err.code ?? err.message }),
    );
  });
}

/** The HTTP status of an anonymous GET /readyz (no client certificate, no token), or the error. */
export function anonymousReadyz(
  address: string,
  port: number,
  tls: KubeTls,
  signal: AbortSignal,
): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(
      {
        hostname: address,
        port,
        path: "/readyz",
        method: "GET",
        ...(tls.ca ? { ca: tls.ca } : {}),
        rejectUnauthorized: false,
        agent: false,
        signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

/** The plan's names missing from `sans` (compared canonically: addresses by value, names case-insensitively). */
export function missingSans(wanted: readonly string[], sans: readonly string[]): string[] {
  const have = new Set(sans.map((s) => canonicalIp(s) ?? s.toLowerCase().replace(/\.$/, "")));
  return wanted.filter((w) => !have.has(canonicalIp(w) ?? w.toLowerCase().replace(/\.$/, "")));
}
