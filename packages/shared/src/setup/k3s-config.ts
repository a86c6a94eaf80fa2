// A server's k3s configuration as `k3s-config-show` prints it (config.yaml, every config.yaml.d drop-in, the unit's
// ExecStart): merged as k3s merges them (files in order, a later key replaces, `key+` appends) with the command line's
// flags added, cut down to the keys the setup reads — the rest (a token, a datastore password) is never kept.
import { parse } from "yaml";
import { type Parsed, parseFailed } from "../frr/parsed.js";

/** The boundary the command prints before each file; the path follows it. */
export const K3S_CONFIG_BOUNDARY = "----- k3s-ha file:";
export const K3S_EXECSTART_BOUNDARY = "----- k3s-ha execstart";

export const K3S_CONFIG_DIR = "/etc/rancher/k3s/config.yaml.d";
export const K3S_HA_DROPIN = `${K3S_CONFIG_DIR}/50-k3s-ha.yaml`;
export const K3S_HA_AUTH_CONFIG = "/etc/rancher/k3s/k3s-ha-authentication-config.yaml";

/** The keys the setup reads (list-valued k3s flags). */
const KEYS = ["tls-san", "kube-apiserver-arg", "disable", "kube-controller-manager-arg"] as const;
type Key = (typeof KEYS)[number];

export interface K3sConfig {
  /** The files read, in k3s's order. */
  files: string[];
  /** Merged values: the config files', unless the command line sets the key (then its values alone). */
  tlsSan: string[];
  apiserverArgs: string[];
  disable: string[];
  /** kube-controller-manager's arguments (the failover predictions read its timings from them). */
  controllerManagerArgs: string[];
  /** What the files alone say (without the command line), per key. */
  fromFiles: Record<Key, string[]>;
  /** Merged values without the console's drop-in (what the operator's own files and flags say). */
  others: Record<Key, string[]>;
  /** The unit's ExecStart argv, when systemd printed it. */
  execStart?: string[];
  /** Keys the command line sets (their config file values, the console's drop-in's included, do not count). */
  cliKeys: Key[];
  /** The console's own drop-in, verbatim (it holds nothing secret), when present and the console's. */
  dropIn?: string;
  /** What the console's drop-in says, read back (undo puts an earlier one back from this). */
  dropInSettings?: K3sHaSettings;
  /**
   * A file at the drop-in's path the console did not write (not its header, or keys beyond its two): its text is
   * not kept (it may hold a token), and the setup will not overwrite it.
   */
  dropInForeign?: boolean;
  /** Files that are not YAML mappings (k3s refuses to start with them). */
  problems: string[];
}

const emptyKeys = (): Record<Key, string[]> => ({
  "tls-san": [],
  "kube-apiserver-arg": [],
  disable: [],
  "kube-controller-manager-arg": [],
});

const list = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : (Array.isArray(v) ? v : [v]).map((x) => String(x).trim()).filter(Boolean);

/** `ExecStart={ path=/usr/local/bin/k3s ; argv[]=/usr/local/bin/k3s server --disable=servicelb ; … }` → argv. */
export function parseExecStart(line: string): string[] | undefined {
  const m = /argv\[\]=(.*?) ; ignore_errors=/.exec(line);
  return m?.[1] ? m[1].split(/\s+/).filter(Boolean) : undefined;
}

/** `--tls-san=a --tls-san b --disable servicelb` → each flag's values, as k3s's CLI parses repeated flags. */
function cliValues(argv: readonly string[]): Record<Key, string[]> {
  const out: Record<Key, string[]> = emptyKeys();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    for (const key of KEYS) {
      if (a === `--${key}` && argv[i + 1] !== undefined) out[key].push(...(argv[++i] ?? "").split(","));
      else if (a.startsWith(`--${key}=`)) out[key].push(...a.slice(key.length + 3).split(","));
    }
  }
  for (const key of KEYS) out[key] = out[key].map((v) => v.trim()).filter(Boolean);
  return out;
}

export function parseK3sConfigShow(stdout: string): Parsed<K3sConfig> {
  const fromFiles: Record<Key, string[]> = emptyKeys();
  const fromOthers: Record<Key, string[]> = emptyKeys();
  const files: string[] = [];
  const problems: string[] = [];
  let dropIn: string | undefined;
  let dropInSettings: K3sHaSettings | undefined;
  let execStart: string[] | undefined;
  const sections = stdout.split(/^(?=----- k3s-ha )/m).filter((s) => s.startsWith("----- k3s-ha "));
  for (const section of sections) {
    const nl = section.indexOf("\n");
    const head = nl < 0 ? section : section.slice(0, nl);
    const body = nl < 0 ? "" : section.slice(nl + 1);
    if (head.startsWith(K3S_EXECSTART_BOUNDARY)) {
      execStart = parseExecStart(body.split("\n").find((l) => l.startsWith("ExecStart=")) ?? "");
      continue;
    }
    if (!head.startsWith(K3S_CONFIG_BOUNDARY)) continue;
    const path = head.slice(K3S_CONFIG_BOUNDARY.length).trim();
    files.push(path);
    // The script prints a newline after each file: the drop-in is what is before it, byte for byte.
    if (path === K3S_HA_DROPIN) {
      const text = body.endsWith("\n") ? body.slice(0, -1) : body;
      dropInSettings = parseK3sHaDropIn(text);
      if (dropInSettings) dropIn = text;
    }
    let doc: unknown;
    try {
      doc = parse(body);
    } catch (err) {
      problems.push(`${path}: not YAML (${(err as Error).message.split("\n")[0]})`);
      continue;
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== "object" || Array.isArray(doc)) {
      problems.push(`${path}: not a mapping of k3s flags`);
      continue;
    }
    const d = doc as Record<string, unknown>;
    for (const into of path === K3S_HA_DROPIN ? [fromFiles] : [fromFiles, fromOthers])
      for (const key of KEYS) {
        if (key in d) into[key] = list(d[key]);
        if (`${key}+` in d) into[key] = [...into[key], ...list(d[`${key}+`])];
      }
  }
  // The output's head is never quoted: config.yaml may hold the cluster token.
  if (sections.length === 0)
    return parseFailed("k3s-config-show", "no k3s-ha section in the output: not this command's answer", "");
  const cli = cliValues(execStart ?? []);
  // A flag on the command line replaces the config files' value of the same key, lists included (k3s docs,
  // "Configuration File": the CLI arguments overwrite all values in the list).
  const merged = (k: Key, from = fromFiles) => [...new Set(cli[k].length ? cli[k] : from[k])];
  return {
    ok: true,
    value: {
      files,
      tlsSan: merged("tls-san"),
      apiserverArgs: merged("kube-apiserver-arg"),
      disable: merged("disable"),
      controllerManagerArgs: merged("kube-controller-manager-arg"),
      fromFiles,
      cliKeys: KEYS.filter((k) => cli[k].length > 0),
      others: {
        "tls-san": merged("tls-san", fromOthers),
        "kube-apiserver-arg": merged("kube-apiserver-arg", fromOthers),
        disable: merged("disable", fromOthers),
        "kube-controller-manager-arg": merged("kube-controller-manager-arg", fromOthers),
      },
      ...(execStart ? { execStart } : {}),
      ...(dropIn !== undefined ? { dropIn } : {}),
      ...(dropInSettings ? { dropInSettings } : {}),
      ...(files.includes(K3S_HA_DROPIN) && !dropInSettings ? { dropInForeign: true } : {}),
      problems,
    },
  };
}

/** The shell script the command runs: each file after its boundary line, then systemd's ExecStart. */
export const K3S_CONFIG_SHOW_SCRIPT = [
  // One glob, so .yaml and .yml drop-ins come in one lexical order, as k3s reads them.
  `for f in /etc/rancher/k3s/config.yaml ${K3S_CONFIG_DIR}/*.y*ml; do`,
  '  case "$f" in *.yaml|*.yml) ;; *) continue;; esac',
  '  [ -f "$f" ] || continue',
  `  printf '%s %s\\n' '${K3S_CONFIG_BOUNDARY}' "$f"`,
  '  cat "$f"',
  "  printf '\\n'",
  "done",
  `printf '%s\\n' '${K3S_EXECSTART_BOUNDARY}'`,
  "systemctl show k3s -p ExecStart --no-pager 2>/dev/null || true",
].join("\n");

/** What the console's drop-in says: names added to tls-san, and the AuthenticationConfiguration named. */
export interface K3sHaSettings {
  tlsSan: readonly string[];
  authConfig: boolean;
}

/** The first words of the drop-in's header: a file at its path that does not start so is not the console's. */
export const K3S_HA_DROPIN_MARK = "# Written by k3s HA Console";
const AUTH_CONFIG_ARG = `authentication-config=${K3S_HA_AUTH_CONFIG}`;
/** What a tls-san entry in the console's drop-in may be: the names the registry accepts (no quote, no newline). */
const SAN_TEXT = /^(\*\.)?[a-z0-9.:-]{1,253}$/;

/**
 * What a drop-in the console wrote says, read back; undefined when the text is not the console's (its header
 * missing, a key other than `tls-san+` and `kube-apiserver-arg+`, an argument other than the
 * AuthenticationConfiguration's, a value that is not a name or address).
 */
export function parseK3sHaDropIn(text: string): K3sHaSettings | undefined {
  if (!text.startsWith(K3S_HA_DROPIN_MARK)) return undefined;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || doc === undefined) return { tlsSan: [], authConfig: false };
  if (typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  if (Object.keys(d).some((k) => k !== "tls-san+" && k !== "kube-apiserver-arg+")) return undefined;
  const strings = (v: unknown): string[] | undefined =>
    v === undefined ? [] : Array.isArray(v) && v.every((x) => typeof x === "string") ? v : undefined;
  const tlsSan = strings(d["tls-san+"]);
  const args = strings(d["kube-apiserver-arg+"]);
  if (!tlsSan || !args || !tlsSan.every((n) => SAN_TEXT.test(n))) return undefined;
  if (args.some((a) => a !== AUTH_CONFIG_ARG)) return undefined;
  return { tlsSan, authConfig: args.length > 0 };
}

/** The drop-in, `+` keys only: the operator's own config.yaml values stay, and undo deletes one file. */
export function renderK3sHaDropIn(s: K3sHaSettings): string {
  const lines = [
    `${K3S_HA_DROPIN_MARK} (guided setup, step apiserver-config). Undo in the console deletes this file;`,
    "# names k3s added to the serving certificate stay on it (removing one takes the kube-system/k3s-serving secret).",
  ];
  if (s.tlsSan.length) lines.push("tls-san+:", ...s.tlsSan.map((n) => `  - ${JSON.stringify(n)}`));
  if (s.authConfig) lines.push("kube-apiserver-arg+:", `  - ${JSON.stringify(AUTH_CONFIG_ARG)}`);
  return `${lines.join("\n")}\n`;
}

/** Anonymous requests to the health paths only (k3s >= v1.32.4 passes `anonymous.conditions` through). */
export function renderAuthenticationConfig(): string {
  return [
    `# ${K3S_HA_AUTH_CONFIG}: written by k3s HA Console, named by ${K3S_HA_DROPIN}.`,
    "# Lets the API Service's readiness probe read /readyz (and /livez) without credentials; nothing else.",
    "apiVersion: apiserver.config.k8s.io/v1beta1",
    "kind: AuthenticationConfiguration",
    "anonymous:",
    "  enabled: true",
    "  conditions:",
    "    - path: /livez",
    "    - path: /readyz",
    "",
  ].join("\n");
}

/** Writes the AuthenticationConfiguration (or removes it) and then the drop-in, each by an atomic rename. */
export const K3S_DROPIN_WRITE_SCRIPT = [
  "set -e",
  "umask 022",
  `mkdir -p ${K3S_CONFIG_DIR}`,
  'if [ -n "$2" ]; then',
  `  t="$(mktemp ${K3S_HA_AUTH_CONFIG}.XXXXXX)"; printf '%s' "$2" > "$t"; chmod 0644 "$t"; mv -f "$t" ${K3S_HA_AUTH_CONFIG}`,
  "fi",
  `t="$(mktemp ${K3S_CONFIG_DIR}/.50-k3s-ha.XXXXXX)"; printf '%s' "$1" > "$t"; chmod 0644 "$t"; mv -f "$t" ${K3S_HA_DROPIN}`,
  `if [ -z "$2" ]; then rm -f ${K3S_HA_AUTH_CONFIG}; fi`,
  `echo "wrote ${K3S_HA_DROPIN}"`,
].join("\n");

/** Removes the drop-in first (so k3s never names a missing file), then the AuthenticationConfiguration. */
export const K3S_DROPIN_REMOVE_SCRIPT = [
  "set -e",
  `rm -f ${K3S_HA_DROPIN}`,
  `rm -f ${K3S_HA_AUTH_CONFIG}`,
  `echo "removed ${K3S_HA_DROPIN} and ${K3S_HA_AUTH_CONFIG}"`,
].join("\n");
