// IP address and CIDR arithmetic on bigints: parsing, canonical (RFC 5952) formatting, containment and overlap.
export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface Cidr {
  family: IpFamily;
  /** The address as written, host bits included (alignment is checked by the linter, not here). */
  address: bigint;
  prefix: number;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

export function familyBits(family: IpFamily): number {
  return BITS[family];
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseHextets(text: string): number[] | null {
  if (text === "") return [];
  const out: number[] = [];
  for (const h of text.split(":")) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return null;
    out.push(Number.parseInt(h, 16));
  }
  return out;
}

function parseIPv6(text: string): bigint | null {
  if (text.includes("%")) return null; // zone ids are not addresses a plan can use
  let body = text;
  const lastColon = body.lastIndexOf(":");
  if (body.slice(lastColon + 1).includes(".")) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hextets.
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (v4 === null) return null;
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  let hextets: number[];
  if (halves.length === 2) {
    const head = parseHextets(halves[0] ?? "");
    const rest = parseHextets(halves[1] ?? "");
    if (!head || !rest) return null;
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    hextets = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    const all = parseHextets(body);
    if (!all) return null;
    hextets = all;
  }
  if (hextets.length !== 8) return null;
  return hextets.reduce((acc, h) => (acc << 16n) | BigInt(h), 0n);
}

export function parseIp(text: string): IpAddress | null {
  if (text.includes(":")) {
    const value = parseIPv6(text);
    return value === null ? null : { family: 6, value };
  }
  const value = parseIPv4(text);
  return value === null ? null : { family: 4, value };
}

export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const len = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(len)) return null;
  const prefix = Number(len);
  if (prefix > BITS[ip.family]) return null;
  return { family: ip.family, address: ip.value, prefix };
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  }
  // RFC 5952 §5: an IPv4-mapped address keeps its IPv4 part dotted (::ffff:192.0.2.1).
  if (value >> 32n === 0xffffn) return `::ffff:${formatIp(4, value & 0xffffffffn)}`;
  const hextets = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero hextets, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = hextets.map((h) => h.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.family, c.address)}/${c.prefix}`;
}

/** The canonical text of an IP address, or null when it is not one. */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip.family, ip.value) : null;
}

function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(BITS[family] - prefix)) - 1n;
}

export function cidrFirst(c: Cidr): bigint {
  return c.address & ~hostMask(c.family, c.prefix) & ((1n << BigInt(BITS[c.family])) - 1n);
}

export function cidrLast(c: Cidr): bigint {
  return cidrFirst(c) | hostMask(c.family, c.prefix);
}

export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(BITS[c.family] - c.prefix);
}

/** True when the address has no bits set beyond its prefix length. */
export function isAligned(c: Cidr): boolean {
  return (c.address & hostMask(c.family, c.prefix)) === 0n;
}

/** The aligned network of a CIDR (host bits cleared). */
export function alignCidr(c: Cidr): Cidr {
  return { family: c.family, address: cidrFirst(c), prefix: c.prefix };
}

export function cidrContainsIp(c: Cidr, ip: IpAddress): boolean {
  return c.family === ip.family && ip.value >= cidrFirst(c) && ip.value <= cidrLast(c);
}

/** True when `inner` lies wholly inside `outer` (equal counts as inside). */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    cidrFirst(inner) >= cidrFirst(outer) &&
    cidrLast(inner) <= cidrLast(outer)
  );
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && cidrFirst(a) <= cidrLast(b) && cidrFirst(b) <= cidrLast(a);
}

/** Inclusive address interval, used for ranges that are not CIDRs (a host range). */
export interface IpInterval {
  family: IpFamily;
  first: bigint;
  last: bigint;
}

export function cidrInterval(c: Cidr): IpInterval {
  return { family: c.family, first: cidrFirst(c), last: cidrLast(c) };
}

export function intervalsOverlap(a: IpInterval, b: IpInterval): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function intervalContainsIp(r: IpInterval, ip: IpAddress): boolean {
  return r.family === ip.family && ip.value >= r.first && ip.value <= r.last;
}

/** The addresses two intervals share, or null when they share none. */
export function intervalIntersection(a: IpInterval, b: IpInterval): IpInterval | null {
  if (!intervalsOverlap(a, b)) return null;
  // Math.max/min do not take bigints.
  let first = a.first;
  if (b.first > first) first = b.first;
  let last = a.last;
  if (b.last < last) last = b.last;
  return { family: a.family, first, last };
}

/** True when `inner` lies wholly inside `outer` (equal counts as inside). */
export function intervalContainsInterval(outer: IpInterval, inner: IpInterval): boolean {
  return outer.family === inner.family && inner.first >= outer.first && inner.last <= outer.last;
}

export const DOCUMENTATION_V6: Cidr = { family: 6, address: 0x20010db8n << 96n, prefix: 32 };
