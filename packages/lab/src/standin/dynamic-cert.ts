// k3s's serving certificate on 6443 as rancher/dynamiclistener keeps it (k3s pkg/cluster/https.go, dynamiclistener
// factory/gen.go and storage/kubernetes): the SANs are the `listener.cattle.io/cn-*` annotations of one Secret,
// kube-system/k3s-serving, shared by every server and cached in each server's tls/dynamic-cert.json.
// - On every start the configured tls-san (and k3s's defaults) are added; a name is never removed.
// - Servers merge: a name one server holds is added to the shared Secret, and every server serves the union.
// - `k3s certificate rotate` only writes tls/dynamic-cert-regenerate; the next start issues a new key with the same
//   SANs. Removing a name takes deleting the Secret and dynamic-cert.json on every server (k3s-io/k3s#2914).
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { issueServerCert } from "../ca.js";
import { type KubeClient, type KubeObject, R } from "../kube/index.js";
import { type StandinConfig, servingCert } from "./node-config.js";

export const SERVING_SECRET = { namespace: "kube-system", name: "k3s-serving" } as const;
const SECRETS = R.secrets;
const CN_PREFIX = "listener.cattle.io/cn-";
const FINGERPRINT = "listener.cattle.io/fingerprint";

export const dynamicCertFile = (c: StandinConfig) => path.join(c.dataDir, "tls", "dynamic-cert.json");
export const regenerateFile = (c: StandinConfig) => path.join(c.dataDir, "tls", "dynamic-cert-regenerate");

/** A serving certificate with the names it was issued for. */
export interface ServingState {
  sans: string[];
  cert: string;
  key: string;
  fingerprint: string;
}

/** `SHA1=<HEX>` of the certificate's DER, as dynamiclistener annotates it. */
export function fingerprintOf(certPem: string): string {
  return `SHA1=${new X509Certificate(certPem).fingerprint.replace(/:/g, "")}`;
}

/**
 * The annotation key of a name. Annotation names allow [-._a-zA-Z0-9] only: others (an IPv6 address's colons) are
 * replaced and a short hash keeps keys apart, as newer dynamiclistener does (`cn-__1-<hash>` for ::1; the hash is
 * the lab's own — read the values, never the keys).
 */
export function cnKey(name: string): string {
  const safe = name.replace(/[^-._a-zA-Z0-9]/g, "_");
  const key = `${CN_PREFIX}${safe}`;
  if (safe === name && key.length <= 63 + "listener.cattle.io/".length) return key;
  return `${CN_PREFIX}${safe.slice(0, 40)}-${createHash("sha256").update(name).digest("hex").slice(0, 6)}`;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");
const unb64 = (s: unknown) => (typeof s === "string" ? Buffer.from(s, "base64").toString() : "");

/** The Secret dynamiclistener stores (type kubernetes.io/tls, one cn- annotation per name, the fingerprint). */
export function secretOf(state: ServingState, existing?: KubeObject): KubeObject {
  const others = Object.fromEntries(
    Object.entries(existing?.metadata.annotations ?? {}).filter(
      ([k]) => !k.startsWith(CN_PREFIX) && k !== FINGERPRINT,
    ),
  );
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      ...(existing?.metadata ?? {}),
      name: SERVING_SECRET.name,
      namespace: SERVING_SECRET.namespace,
      annotations: {
        ...others,
        ...Object.fromEntries(state.sans.map((n) => [cnKey(n), n])),
        [FINGERPRINT]: state.fingerprint,
      },
    },
    type: "kubernetes.io/tls",
    data: { "tls.crt": b64(state.cert), "tls.key": b64(state.key) },
  } as KubeObject;
}

/** The state a Secret (or dynamic-cert.json) holds; undefined when it is not a valid TLS secret. */
export function stateOf(secret: KubeObject | undefined): ServingState | undefined {
  if (!secret) return undefined;
  const data = (secret as { data?: Record<string, unknown> }).data ?? {};
  const cert = unb64(data["tls.crt"]);
  const key = unb64(data["tls.key"]);
  if (!cert.includes("BEGIN CERTIFICATE") || !key.includes("PRIVATE KEY")) return undefined;
  try {
    const sans = Object.entries(secret.metadata.annotations ?? {})
      .filter(([k]) => k.startsWith(CN_PREFIX))
      .map(([, v]) => v);
    return { sans: [...new Set(sans)], cert, key, fingerprint: fingerprintOf(cert) };
  } catch {
    return undefined;
  }
}

/** Whether `have` holds every name of `want` (dynamiclistener's NeedsUpdate, negated). */
export const covers = (have: readonly string[], want: readonly string[]) =>
  want.every((n) => have.includes(n));

const union = (...lists: (readonly string[] | undefined)[]) => [...new Set(lists.flatMap((l) => l ?? []))];

async function issue(c: StandinConfig, sans: readonly string[]): Promise<ServingState> {
  const dir = await mkdtemp(path.join(tmpdir(), "k3s-serving-"));
  try {
    const files = { cert: path.join(dir, "tls.crt"), key: path.join(dir, "tls.key") };
    await issueServerCert({ cert: c.caCert, key: c.caKey }, files, "k3s", sans);
    const cert = await readFile(files.cert, "utf8");
    return {
      sans: [...sans],
      cert,
      key: await readFile(files.key, "utf8"),
      fingerprint: fingerprintOf(cert),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function readLocal(c: StandinConfig): ServingState | undefined {
  const file = dynamicCertFile(c);
  if (!existsSync(file)) return undefined;
  try {
    return stateOf(JSON.parse(readFileSync(file, "utf8")) as KubeObject);
  } catch {
    return undefined; // a corrupt cache counts as none
  }
}

async function writeLocal(c: StandinConfig, state: ServingState): Promise<void> {
  const file = dynamicCertFile(c);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(secretOf(state))}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  const files = servingCert(c);
  await writeFile(`${files.key}.tmp`, state.key, { mode: 0o600 });
  await writeFile(`${files.cert}.tmp`, state.cert);
  await rename(`${files.key}.tmp`, files.key);
  await rename(`${files.cert}.tmp`, files.cert);
}

/**
 * One server's view of the shared serving certificate: `start` at process start, `sync` whenever the Secret
 * changes. `onChange` gets each certificate this server should now serve.
 */
export class DynamicCert {
  private state: ServingState | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly c: StandinConfig,
    private readonly client: KubeClient,
    /** The names this server adds on start: k3s's defaults and the configured tls-san. */
    private readonly wanted: readonly string[],
    private readonly onChange: (state: ServingState) => void,
    private readonly log: (line: string) => void = () => {},
  ) {}

  get current(): ServingState | undefined {
    return this.state;
  }

  /** At k3s start: the regenerate trigger, the local cache, the shared Secret and this start's names. */
  async start(): Promise<ServingState> {
    const local = readLocal(this.c);
    const shared = stateOf(this.client.get(SECRETS, SERVING_SECRET.namespace, SERVING_SECRET.name));
    const names = union(local?.sans, shared?.sans, this.wanted);
    const regenerate = existsSync(regenerateFile(this.c));
    let state = local ?? shared;
    if (regenerate) {
      await rm(regenerateFile(this.c), { force: true });
      this.log(`dynamic-cert-regenerate found: new key, same ${names.length} names`);
      state = await issue(this.c, names);
    } else if (shared && covers(shared.sans, names)) state = shared;
    else if (!state || !covers(state.sans, names)) state = await issue(this.c, names);
    await this.adopt(state);
    await this.save(true);
    // save() may have merged another server's names in: serve what this server holds now.
    return this.state ?? state;
  }

  /** The Secret changed (or may have): adopt a certificate that has all our names, or merge ours into it. */
  sync(): Promise<void> {
    this.chain = this.chain
      .then(() => this.save(false))
      .catch((err: unknown) => {
        this.log(`serving certificate sync failed: ${(err as Error).message}`);
      });
    return this.chain;
  }

  private async adopt(state: ServingState): Promise<void> {
    if (this.state?.fingerprint === state.fingerprint) return;
    this.state = state;
    await writeLocal(this.c, state);
    this.onChange(state);
  }

  /**
   * saveInK8s: merge with the stored Secret until it and this server hold one certificate with every name. After
   * this server made a certificate (start, regenerate) it wins when it has every stored name (Merge prefers the
   * new secret "to allow for renewal or regeneration"); on a Secret change the stored one is taken up instead.
   */
  private async save(mineIsNew: boolean): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const mine = this.state;
      if (!mine) return;
      const existing = this.client.get(SECRETS, SERVING_SECRET.namespace, SERVING_SECRET.name);
      const shared = stateOf(existing);
      try {
        if (!existing || !shared) {
          // Deleted (or not valid): a running server puts its own copy back, as dynamiclistener does.
          if (existing) this.client.update(SECRETS, secretOf(mine, existing));
          else this.client.create(SECRETS, secretOf(mine));
          this.log(`created ${SERVING_SECRET.namespace}/${SERVING_SECRET.name} (${mine.sans.length} names)`);
          return;
        }
        if (shared.fingerprint === mine.fingerprint) return;
        if (mineIsNew && covers(mine.sans, shared.sans)) {
          this.client.update(SECRETS, secretOf(mine, existing));
          this.log(`updated ${SERVING_SECRET.namespace}/${SERVING_SECRET.name} (${mine.sans.length} names)`);
          return;
        }
        if (covers(shared.sans, mine.sans)) {
          await this.adopt(shared);
          return;
        }
        const merged = covers(mine.sans, shared.sans)
          ? mine
          : await issue(this.c, union(shared.sans, mine.sans));
        this.client.update(SECRETS, secretOf(merged, existing));
        this.log(`updated ${SERVING_SECRET.namespace}/${SERVING_SECRET.name} (${merged.sans.length} names)`);
        await this.adopt(merged);
        return;
      } catch (err) {
        const code = (err as { status?: { code?: number } }).status?.code;
        if (code !== 409) throw err; // a conflict or an AlreadyExists: another server wrote first; read again
      }
    }
  }
}

/**
 * `k3s certificate rotate` (pkg/cli/cert): backs up tls/ to tls-<unix>, writes the regenerate trigger and returns;
 * it does not talk to a running k3s, so the new certificate comes with the next start.
 */
export async function rotateServingCert(c: StandinConfig): Promise<string> {
  const tls = path.join(c.dataDir, "tls");
  await mkdir(tls, { recursive: true });
  const backup = path.join(c.dataDir, `tls-${Math.floor(Date.now() / 1000)}`);
  await cp(tls, backup, { recursive: true });
  await writeFile(regenerateFile(c), "", { mode: 0o600 });
  return backup;
}
