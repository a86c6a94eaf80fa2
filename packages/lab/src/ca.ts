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

/** Creates the lab CA once; later calls keep it (so `up` is idempotent and clients keep trusting it). */
export async function ensureCa(ca: CaFiles, labName: string): Promise<void> {
  if (existsSync(ca.cert) && existsSync(ca.key)) return;
  await mkdir(path.dirname(ca.cert), { recursive: true });
  await run("openssl", [
    "req",
    "-x509",
    ...EC,
    "-keyout",
    ca.key,
    "-out",
    ca.cert,
    "-days",
    "3650",
    "-subj",
    `/CN=k3s-ha-lab-${labName}-ca`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
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
  await run("openssl", [
    "req",
    "-x509",
    ...EC,
    "-CA",
    ca.cert,
    "-CAkey",
    ca.key,
    "-keyout",
    tmp.key,
    "-out",
    tmp.cert,
    "-days",
    "365",
    "-subj",
    `/O=k3s/CN=${commonName}`,
    "-addext",
    `subjectAltName=${subjectAltName(sans)}`,
    "-addext",
    "extendedKeyUsage=serverAuth",
    "-addext",
    "basicConstraints=critical,CA:FALSE",
  ]);
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
    await run("openssl", [
      "req",
      "-x509",
      ...EC,
      "-CA",
      ca.cert,
      "-CAkey",
      ca.key,
      "-keyout",
      out.key,
      "-out",
      out.cert,
      "-days",
      "365",
      "-subj",
      `${groups.map((g) => `/O=${g}`).join("")}/CN=${cn}`,
      "-addext",
      "extendedKeyUsage=clientAuth",
      "-addext",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
    ]);
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
