// Host key pins from an OpenSSH known_hosts file: plain and hashed (`|1|salt|hash`) host fields, `[host]:port` for
// ports other than 22, comma-separated names; `@revoked` lines refuse a key, `@cert-authority` lines are not pins.
import { createHmac } from "node:crypto";

/** How OpenSSH writes a host in known_hosts: bare for port 22, `[host]:port` otherwise. */
function hostField(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function matches(pattern: string, name: string): boolean {
  if (pattern.startsWith("|1|")) {
    const [, , salt, hash] = pattern.split("|");
    if (!salt || !hash) return false;
    const mac = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return mac === hash;
  }
  return pattern.toLowerCase() === name.toLowerCase();
}

export interface KnownHostsMatch {
  /** "ssh-ed25519 AAAA…" lines for the host, in file order. */
  keys: string[];
  /** Keys the file marks @revoked for the host. */
  revoked: string[];
}

export function knownHostKeys(text: string, host: string, port: number): KnownHostsMatch {
  const name = hostField(host, port);
  const out: KnownHostsMatch = { keys: [], revoked: [] };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const parts = line.split(/\s+/);
    let marker: string | undefined;
    if (parts[0]?.startsWith("@")) marker = parts.shift();
    const [hosts, type, key] = parts;
    if (!hosts || !type || !key || marker === "@cert-authority") continue;
    const patterns = hosts.split(",");
    // A negated pattern (!host) that matches excludes the line, as in OpenSSH.
    if (patterns.some((p) => p.startsWith("!") && matches(p.slice(1), name))) continue;
    if (!patterns.some((p) => !p.startsWith("!") && matches(p, name))) continue;
    (marker === "@revoked" ? out.revoked : out.keys).push(`${type} ${key}`);
  }
  return out;
}
