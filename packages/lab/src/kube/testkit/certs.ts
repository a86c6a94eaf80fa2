// A throwaway CA and the server and client certificates the tests use, made with openssl.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

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

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function issue(dir: string, ca: KeyPair, name: string, subject: string, ext: string[]): KeyPair {
  const out = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  const exts = ext.flatMap((e) => ["-addext", e]);
  execFileSync(
    "openssl",
    [
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
      "2",
      "-subj",
      subject,
      ...exts,
    ],
    {
      stdio: "ignore",
    },
  );
  return out;
}

/** A CA plus server and client certificates, made with openssl in a fresh temporary directory. */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(path.join(tmpdir(), "kube-test-"));
  const ca = { cert: path.join(dir, "ca.crt"), key: path.join(dir, "ca.key") };
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      ...EC,
      "-keyout",
      ca.key,
      "-out",
      ca.cert,
      "-days",
      "2",
      "-subj",
      "/CN=k3s-lab-test-ca",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    { stdio: "ignore" },
  );
  const client = ["extendedKeyUsage=clientAuth", "basicConstraints=critical,CA:FALSE"];
  return {
    dir,
    ca,
    server: issue(dir, ca, "server", "/O=k3s/CN=k3s", [
      "subjectAltName=IP:::1,IP:127.0.0.1,DNS:localhost",
      "extendedKeyUsage=serverAuth",
      "basicConstraints=critical,CA:FALSE",
    ]),
    admin: issue(dir, ca, "admin", "/O=system:masters/CN=admin", client),
    viewer: issue(dir, ca, "viewer", "/O=view/CN=viewer", client),
    nobody: issue(dir, ca, "nobody", "/CN=nobody", client),
  };
}
