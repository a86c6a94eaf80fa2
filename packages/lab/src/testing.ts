// Helpers for the lab's own tests and scripts: unique lab names, SSH targets from the lab's plan, a TLS probe.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { checkServerIdentity, connect, type PeerCertificate } from "node:tls";
import type { PlanInput } from "@k3s-ha/shared";
import { parse } from "yaml";
import { normaliseIp } from "./ca.js";
import type { SshTarget } from "./ssh.js";

/** A lab name no other test run uses (≤ 10 characters keeps the host veth name readable). */
export function uniqueLabName(prefix: string): string {
  return `${prefix}-${randomBytes(2).toString("hex")}`;
}

export function readPlan(file: string): PlanInput {
  return parse(readFileSync(file, "utf8")) as PlanInput;
}

/** The SSH target of `machine` ("router" or a node name) exactly as the plan pins it. */
export function sshTarget(plan: PlanInput, machine: string): SshTarget {
  const router = plan.bgp.router;
  const entry = machine === router.name ? router : plan.nodes.find((n) => n.name === machine);
  if (!entry?.ssh.privateKeyFile) throw new Error(`no ${machine} with an SSH key in the plan`);
  if (!entry.ssh.hostKey) throw new Error(`the plan pins no host key for ${machine}`);
  return {
    host: entry.address,
    port: entry.ssh.port ?? 22,
    user: entry.ssh.user,
    privateKeyFile: entry.ssh.privateKeyFile,
    hostKey: entry.ssh.hostKey,
  };
}

export interface TlsProbe {
  authorized: boolean;
  error?: string;
  sans: string[];
  /** SHA-1 of the certificate shown (colon-separated hex). */
  fingerprint: string;
}

/** A TLS handshake to [address]:port verifying against `ca` for `servername`; returns the SANs it was shown. */
export function tlsProbe(
  address: string,
  port: number,
  ca: string,
  servername: string,
  timeoutMs = 5_000,
): Promise<TlsProbe> {
  return new Promise((resolve, reject) => {
    const sni = isIP(servername) ? {} : { servername };
    const socket = connect({ host: address, port, ca: readFileSync(ca), ...sni, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`TLS to [${address}]:${port} timed out`));
    }, timeoutMs);
    socket.on("secureConnect", () => {
      clearTimeout(timer);
      const cert: PeerCertificate = socket.getPeerCertificate();
      const sans = (cert.subjectaltname ?? "")
        .split(",")
        .map((s) => s.trim().replace(/^(DNS|IP Address):/, ""))
        .filter(Boolean)
        .map(normaliseIp);
      // The chain is verified by Node; the name check is the one HTTPS clients do (DNS names and IP literals).
      const nameError = checkServerIdentity(servername, cert);
      const error = socket.authorizationError ? String(socket.authorizationError) : nameError?.message;
      resolve({
        authorized: socket.authorized && !nameError,
        ...(error ? { error } : {}),
        sans,
        fingerprint: cert.fingerprint,
      });
      socket.end();
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
