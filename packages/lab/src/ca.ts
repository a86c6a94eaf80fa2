// The lab CA and the certificates it issues, with the openssl CLI (P-256 keys: fast, and what k3s uses).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "./exec.js";

export interface CaFiles {
  cert: string;
  key: string;
}

export const caFiles = (stateDir: string): CaFiles => ({
  cert: path.join(stateDir, "ca", "ca.crt"),
  key: path.join(stateDir, "ca", "ca.key"),
});

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
export const CA_EXTENSIONS = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"];
export const SERVER_EXTENSIONS = ["extendedKeyUsage=serverAuth", "basicConstraints=critical,CA:FALSE"];
export const CLIENT_EXTENSIONS = [
  "extendedKeyUsage=clientAuth",
  "keyUsage=critical,digitalSignature,keyEncipherment",
  "basicConstraints=critical,CA:FALSE",
];

/** One openssl call that makes a key and its certificate: signed by `ca`, or self-signed (a CA) without it. */
export async function opensslCert(
  out: CaFiles,
  subject: string,
  extensions: readonly string[],
  options: { ca?: CaFiles; days: number },
): Promise<void> {
  const signer = options.ca ? ["-CA", options.ca.cert, "-CAkey", options.ca.key] : [];
  await run("openssl", [
    "req",
    "-x509",
    ...EC,
    ...signer,
    "-keyout",
    out.key,
    "-out",
    out.cert,
    "-days",
    String(options.days),
    "-subj",
    subject,
    ...extensions.flatMap((e) => ["-addext", e]),
  ]);
}

/** Creates the lab CA once; later calls keep it (so `up` is idempotent and clients keep trusting it). */
export async function ensureCa(ca: CaFiles, labName: string): Promise<void> {
  if (existsSync(ca.cert) && existsSync(ca.key)) return;
  await mkdir(path.dirname(ca.cert), { recursive: true });
  await opensslCert(ca, `/CN=k3s-ha-lab-${labName}-ca`, CA_EXTENSIONS, { days: 3650 });
}

export function subjectAltName(sans: readonly string[]): string {
  return sans.map((s) => (isIP(s) ? `IP:${s}` : `DNS:${s}`)).join(",");
}

/** Issues a server certificate for `sans`; writes key and cert next to each other atomically. */
export async function issueServerCert(
  ca: CaFiles,
  out: CaFiles,
  commonName: string,
  sans: readonly string[],
): Promise<void> {
  await mkdir(path.dirname(out.cert), { recursive: true });
  const tmp = { cert: `${out.cert}.tmp`, key: `${out.key}.tmp` };
  await opensslCert(
    tmp,
    `/O=k3s/CN=${commonName}`,
    [`subjectAltName=${subjectAltName(sans)}`, ...SERVER_EXTENSIONS],
    {
      ca,
      days: 365,
    },
  );
  await rename(tmp.key, out.key);
  await rename(tmp.cert, out.cert);
}

export interface PemPair {
  cert: string;
  key: string;
}

/**
 * Issues a client certificate (clientAuth) as the apiserver reads it: CN = user, one O per group
 * (`issueClientCert(ca, "admin", ["system:masters"])` is k3s's admin: /O=system:masters/CN=admin). Returns the PEMs.
 */
export async function issueClientCert(ca: CaFiles, cn: string, groups: readonly string[]): Promise<PemPair> {
  const dir = await mkdtemp(path.join(tmpdir(), "k3s-lab-client-"));
  const out = { cert: path.join(dir, "client.crt"), key: path.join(dir, "client.key") };
  try {
    await opensslCert(out, `${groups.map((g) => `/O=${g}`).join("")}/CN=${cn}`, CLIENT_EXTENSIONS, {
      ca,
      days: 365,
    });
    return { cert: await readFile(out.cert, "utf8"), key: await readFile(out.key, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Certificates print IPv6 SANs uncompressed (2001:DB8:0:…:1); compare in canonical form. */
export function normaliseIp(value: string): string {
  if (isIP(value) !== 6) return value;
  return new URL(`http://[${value}]/`).hostname.slice(1, -1);
}
