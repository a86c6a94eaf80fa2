// A throwaway CA and the server and client certificates the tests use, made with openssl.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CA_EXTENSIONS, CLIENT_EXTENSIONS, opensslCert, SERVER_EXTENSIONS } from "../../ca.js";

export interface KeyPair {
  cert: string;
  key: string;
}

export interface TestCerts {
  dir: string;
  ca: KeyPair;
  server: KeyPair;
  /** CN=admin, O=system:masters */
  admin: KeyPair;
  /** CN=viewer, O=view */
  viewer: KeyPair;
  /** CN=nobody, no groups */
  nobody: KeyPair;
}

/** A CA plus server and client certificates, made with the lab's openssl helper in a fresh temporary directory. */
export async function makeCerts(): Promise<TestCerts> {
  const dir = mkdtempSync(path.join(tmpdir(), "kube-test-"));
  const pair = (name: string): KeyPair => ({
    cert: path.join(dir, `${name}.crt`),
    key: path.join(dir, `${name}.key`),
  });
  const ca = pair("ca");
  await opensslCert(ca, "/CN=k3s-lab-test-ca", CA_EXTENSIONS, { days: 2 });
  const issue = async (name: string, subject: string, extensions: readonly string[]) => {
    const out = pair(name);
    await opensslCert(out, subject, extensions, { ca, days: 2 });
    return out;
  };
  const [server, admin, viewer, nobody] = await Promise.all([
    issue("server", "/O=k3s/CN=k3s", [
      "subjectAltName=IP:::1,IP:127.0.0.1,DNS:localhost",
      ...SERVER_EXTENSIONS,
    ]),
    issue("admin", "/O=system:masters/CN=admin", CLIENT_EXTENSIONS),
    issue("viewer", "/O=view/CN=viewer", CLIENT_EXTENSIONS),
    issue("nobody", "/CN=nobody", CLIENT_EXTENSIONS),
  ]);
  return { dir, ca, server, admin, viewer, nobody };
}
