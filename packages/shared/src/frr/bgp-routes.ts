// `show bgp ipv6 unicast [<range> longer-prefixes] json` (bgp_show_table) and `show bgp ipv6 unicast <prefix> json`
// (bgp_show_route): the router's BGP paths per prefix, in FRR 8.4-10.x's shapes — the table form (an array of paths
// per prefix), `json detail` (9.1+: `{paths: […]}` per prefix, detail paths), 10.3's totals, `{}` for no prefix.
// Read with a JsonCursor rather than JSON.parse and a schema: a full table (100,000 prefixes, ~130 MB) parses in well
// under a second and without its document tree; each reader below is the schema of one object, unknown keys skipped.
import { asnValue } from "./asn.js";
import type { JsonCursor } from "./json-cursor.js";
import { type Parsed, readJsonOutput } from "./parsed.js";

export const BGP_ROUTES_ID = "frr-show-bgp-ipv6-unicast";
export const BGP_PREFIX_ID = "frr-show-bgp-ipv6-unicast-prefix";

export interface BgpPath {
  /** The global next hop (what the router forwards to once resolved). */
  nextHop: string;
  /** The link-local next hop when the peer sent one too (FRR's scope link-local). */
  nextHopLinkLocal?: string;
  /** The peer the path came from (its address). */
  peer: string;
  best: boolean;
  multipath: boolean;
  valid: boolean;
  /** Kept by graceful restart while the peer restarts; dropped at End-of-RIB or when the restart timer expires. */
  stale: boolean;
  asPath: string;
  origin?: string;
}

export interface BgpRoute {
  prefix: string;
  paths: BgpPath[];
}

export interface BgpTable {
  routerId?: string;
  localAs?: number;
  routes: BgpRoute[];
  /** FRR 10.3+ prints totals; older versions leave it to us. */
  totalRoutes: number;
  totalPaths: number;
}

const LINK_LOCAL = /^fe80:/i;

/**
 * `nexthops: [{ip, scope?, used?}]` into `p`: the first not scoped link-local (else the first) as the next hop, and
 * the first link-local one (scoped so, or fe80::) when that is another.
 */
function readNexthops(c: JsonCursor, p: BgpPath): void {
  let first: string | undefined;
  let global: string | undefined;
  let linkLocal: string | undefined;
  let globalIsLinkLocal = false;
  for (let more = c.array(); more; more = c.item()) {
    let ip: string | undefined;
    let scopedLinkLocal = false;
    for (let m = c.object(); m; m = c.member()) {
      if (c.key("ip")) ip = c.string();
      else if (c.key("scope")) scopedLinkLocal = c.stringIs("link-local");
      else if (c.key("used")) c.boolean();
      else c.skip();
    }
    if (ip === undefined) c.fail("required", "ip");
    const isLinkLocal = scopedLinkLocal || LINK_LOCAL.test(ip);
    first ??= ip;
    if (global === undefined && !scopedLinkLocal) {
      global = ip;
      globalIsLinkLocal = isLinkLocal && linkLocal === undefined;
    }
    if (linkLocal === undefined && isLinkLocal) linkLocal = ip;
  }
  // All scoped link-local: the first stands in for the global one (and so is not also the link-local one).
  p.nextHop = global ?? first ?? "";
  if (global !== undefined && !globalIsLinkLocal && linkLocal !== undefined) p.nextHopLinkLocal = linkLocal;
}

/** A path before its members are read: FRR omits a flag that is false. */
const blankPath = (): BgpPath => ({
  nextHop: "",
  peer: "",
  best: false,
  multipath: false,
  valid: false,
  stale: false,
  asPath: "",
  origin: "",
});

/** The members both path forms share; false for a key that is not one of them. */
function commonField(c: JsonCursor, p: BgpPath): boolean {
  if (c.key("valid")) p.valid = c.boolean();
  else if (c.key("multipath")) p.multipath = c.boolean();
  else if (c.key("stale")) p.stale = c.boolean();
  else if (c.key("origin")) p.origin = c.string();
  else if (c.key("nexthops")) readNexthops(c, p);
  else return false;
  return true;
}

/** An empty origin is no origin (FRR always prints one; no need to be quick here). */
function done(p: BgpPath): BgpPath {
  if (p.origin) return p;
  const { origin: _, ...rest } = p;
  return rest;
}

/** A table path: FRR adds a boolean key only when it is true; `bestpath`, `peerId`, `path` are flat. */
function readTablePath(c: JsonCursor): BgpPath {
  const p = blankPath();
  for (let more = c.object(); more; more = c.member()) {
    if (commonField(c, p)) continue;
    if (c.key("bestpath")) p.best = c.boolean();
    else if (c.key("peerId")) p.peer = c.string();
    else if (c.key("path")) p.asPath = c.string();
    else c.skip();
  }
  return done(p);
}

/** `{<key>: <one value read by read>}` with other keys skipped; `fallback` if the key is absent. */
function inner<T>(c: JsonCursor, key: string, read: () => T, fallback: T): T {
  let v = fallback;
  for (let more = c.object(); more; more = c.member()) {
    if (c.key(key)) v = read();
    else c.skip();
  }
  return v;
}

/** A detail path (`json detail`, and `show bgp … <prefix> json`): `bestpath.overall`, `peer.peerId`, `aspath.string`. */
function readDetailPath(c: JsonCursor): BgpPath {
  const p = blankPath();
  for (let more = c.object(); more; more = c.member()) {
    if (commonField(c, p)) continue;
    if (c.key("bestpath")) p.best = inner(c, "overall", () => c.boolean(), false);
    else if (c.key("peer")) p.peer = inner(c, "peerId", () => c.string(), "");
    else if (c.key("aspath")) p.asPath = inner(c, "string", () => c.string(), "");
    else c.skip();
  }
  return done(p);
}

function readPaths(c: JsonCursor, read: (c: JsonCursor) => BgpPath): BgpPath[] {
  const paths: BgpPath[] = [];
  for (let more = c.array(); more; more = c.item()) paths.push(read(c));
  return paths;
}

/** `{paths: [detail paths], …}` (`json detail`'s prefix object). */
function readDetailPaths(c: JsonCursor): BgpPath[] {
  let paths: BgpPath[] | undefined;
  for (let more = c.object(); more; more = c.member()) {
    if (c.key("paths")) paths = readPaths(c, readDetailPath);
    else c.skip();
  }
  return paths ?? c.fail("required", "paths");
}

/**
 * The routes seen so far by prefix, for a prefix printed twice (which keeps its last paths, as with JSON.parse). Keyed
 * by a hash first: a Map keyed by 100,000 fresh strings costs a tenth of the whole parse.
 */
class Seen {
  private readonly byHash = new Map<number, BgpRoute>();
  /** Routes whose hash an earlier prefix has. */
  private readonly byPrefix = new Map<string, BgpRoute>();

  add(route: BgpRoute): boolean {
    const h = hash(route.prefix);
    const first = this.byHash.get(h);
    const again =
      first === undefined || first.prefix === route.prefix ? first : this.byPrefix.get(route.prefix);
    if (again) again.paths = route.paths;
    else if (first === undefined) this.byHash.set(h, route);
    else this.byPrefix.set(route.prefix, route);
    return again === undefined;
  }
}

function hash(s: string): number {
  let h = s.length;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) & 0x3fffffff;
  return h;
}

/** `routes: {<prefix>: [table paths] | {paths: [detail paths]}}`. */
function readRoutes(c: JsonCursor): BgpRoute[] {
  const routes: BgpRoute[] = [];
  const seen = new Seen();
  for (let more = c.object(); more; more = c.member()) {
    const prefix = c.keyText();
    const kind = c.kind();
    if (kind !== "array" && kind !== "object")
      c.fail(`expected an array of paths or {paths: […]}, got ${kind}`);
    const route = { prefix, paths: kind === "array" ? readPaths(c, readTablePath) : readDetailPaths(c) };
    if (seen.add(route)) routes.push(route);
  }
  return routes;
}

function count(c: JsonCursor): number {
  const n = c.number();
  return Number.isInteger(n) && n >= 0 ? n : c.fail(`expected a non-negative integer, got ${n}`);
}

function readAsn(c: JsonCursor): number {
  const v = c.kind() === "number" ? c.number() : c.string();
  return asnValue(v) ?? c.fail(`not an AS number: ${JSON.stringify(v)}`);
}

function readTable(c: JsonCursor): BgpTable {
  const t: Partial<BgpTable> = {};
  for (let more = c.object(); more; more = c.member()) {
    if (c.key("routerId")) t.routerId = c.string();
    else if (c.key("localAS")) t.localAs = readAsn(c);
    else if (c.key("routes")) t.routes = readRoutes(c);
    else if (c.key("totalRoutes")) t.totalRoutes = count(c);
    else if (c.key("totalPaths")) t.totalPaths = count(c);
    else c.skip();
  }
  const routes = t.routes ?? c.fail("required", "routes");
  const value: BgpTable = {
    routes,
    totalRoutes: t.totalRoutes ?? routes.length,
    totalPaths: t.totalPaths ?? routes.reduce((n, x) => n + x.paths.length, 0),
  };
  if (t.routerId) value.routerId = t.routerId;
  if (t.localAs !== undefined) value.localAs = t.localAs;
  return value;
}

export function parseBgpTable(stdout: string): Parsed<BgpTable> {
  return readJsonOutput(BGP_ROUTES_ID, stdout, readTable);
}

/** `{prefix, paths: [detail paths]}`, or `{}` for a prefix the router does not have. */
function readPrefix(c: JsonCursor): BgpRoute | undefined {
  let prefix: string | undefined;
  let paths: BgpPath[] | undefined;
  let members = 0;
  for (let more = c.object(); more; more = c.member()) {
    members++;
    if (c.key("prefix")) prefix = c.string();
    else if (c.key("paths")) paths = readPaths(c, readDetailPath);
    else c.skip();
  }
  if (members === 0) return undefined;
  if (prefix === undefined) return c.fail("required", "prefix");
  if (paths === undefined) return c.fail("required", "paths");
  if (!prefix.includes("/")) return c.fail(`prefix "${prefix}" has no length`, "prefix");
  return { prefix, paths };
}

/** One prefix's paths; `undefined` when the router has no such prefix (FRR prints `{}`). */
export function parseBgpPrefix(stdout: string): Parsed<BgpRoute | undefined> {
  return readJsonOutput(BGP_PREFIX_ID, stdout, readPrefix);
}
