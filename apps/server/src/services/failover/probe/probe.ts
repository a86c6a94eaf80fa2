// One API probe as a client makes it: the target's addresses (a name resolved per its TTL), dialled in the client's
// order, TLS checked against the kubeconfig's CA for what was dialled, one GET; its outcome classified. A stream's
// agent is either a fresh connection per probe (`new`) or one kept-alive connection (`reused`) that is dialled again
// after it breaks — the probe that hit the break fails. Both write the GET and read the answer themselves (framing in
// answer.ts): Node's HTTP client cost more CPU than the request, at up to 240 probes a second.

import type { X509Certificate } from "node:crypto";
import { type Socket, connect as tcpConnect } from "node:net";
import {
  checkServerIdentity,
  createSecureContext,
  type PeerCertificate,
  type SecureContext,
  type TLSSocket,
  connect as tlsConnect,
} from "node:tls";
import { AnswerReader } from "./answer.js";
import { DialError, type DialPolicy, dialInOrder, ProbeTimeout } from "./dial.js";
import { type NameCache, NameLookupError } from "./names.js";

export type ProbeOutcome =
  | "ok"
  | "timeout"
  | "refused"
  | "reset"
  | "tls-error"
  | "dns-error"
  | `http-${number}`;

export interface ProbeCredentials {
  ca?: string;
  cert?: string;
  key?: string;
  /** The kubeconfig's bearer token or basic auth, as headers. */
  headers: Record<string, string>;
  rejectUnauthorized: boolean;
}

export interface ProbeTarget {
  endpoint: string;
  /** An address the plan names (the VIP, a server), or a name resolved at the plan's DNS server. */
  address?: string;
  name?: string;
  port: number;
}

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** The address that answered, or the one whose failure this is. */
  address?: string;
  durationMs: number;
  error?: string;
}

export const PROBE_PATHS = {
  readyz: "/readyz",
  namespace: "/api/v1/namespaces/default?resourceVersion=0",
} as const;
export type ProbeRequest = keyof typeof PROBE_PATHS;

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;
const REFUSED = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "EADDRNOTAVAIL"]);

/**
 * A failure's outcome: the transport's error codes mapped to the outcomes the API reports, with the address whose
 * failure it is when the dial knows it.
 */
export function classifyError(err: unknown): { outcome: ProbeOutcome; error: string; address?: string } {
  const c = classifyCause(err instanceof DialError ? err.cause : err);
  return err instanceof DialError ? { ...c, address: err.address } : c;
}

/** An answer's status as an outcome. */
const statusOutcome = (status: number): ProbeOutcome => (status === 200 ? "ok" : `http-${status}`);

function classifyCause(inner: unknown): { outcome: ProbeOutcome; error: string } {
  const e = inner as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? "";
  const text = code && !String(e?.message).includes(code) ? `${code}: ${e.message}` : String(e?.message ?? e);
  if (inner instanceof ProbeTimeout || code === "ETIMEDOUT") return { outcome: "timeout", error: text };
  if (inner instanceof NameLookupError) return { outcome: "dns-error", error: text };
  if (REFUSED.has(code)) return { outcome: "refused", error: text };
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(String(e?.message)))
    return { outcome: "tls-error", error: text };
  return { outcome: "reset", error: text || "the connection broke" };
}

export interface DialContext {
  target: ProbeTarget;
  credentials: ProbeCredentials;
  /** The CA, certificate and key parsed once per stream, not per connection. */
  secureContext: SecureContext;
  policy: DialPolicy;
  names: NameCache | undefined;
  now: () => number;
}

function connectOne(address: string, port: number, deadlineMs: number, now: () => number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address, port, family: 6, noDelay: true });
    const timer = setTimeout(
      () => {
        socket.destroy();
        reject(new ProbeTimeout(`no TCP answer from [${address}]:${port}`));
      },
      Math.max(0, deadlineMs - now()),
    );
    socket.once("connect", () => {
      clearTimeout(timer);
      // Later errors reach the TLS socket and the request above it; none may go unheard.
      socket.on("error", () => {});
      resolve(socket);
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    });
  });
}

/**
 * Whether the server's certificate names what was dialled (an IP SAN for an address, a DNS SAN — or the CN when it has
 * none — for a name), by Node's own check; the error when it does not. Only the leaf's names are read.
 */
export function serverIdentityError(cert: X509Certificate | undefined, dialled: string): Error | undefined {
  if (!cert) return new Error("the server showed no certificate");
  const cn = cert.subject
    .split("\n")
    .filter((l) => l.startsWith("CN="))
    .map((l) => l.slice(3));
  const names = {
    subject: cn.length === 0 ? {} : { CN: cn.length === 1 ? cn[0] : cn },
    subjectaltname: cert.subjectAltName,
  } as unknown as PeerCertificate;
  return checkServerIdentity(dialled, names);
}

/**
 * TCP in the client's order, then TLS for what was dialled (the name when there is one), all before `deadlineMs`.
 * `dialled` hears the address as soon as TCP connects, so that a probe whose TLS handshake or answer never comes
 * (a drop that fell mid-probe) still records the address it hit; a TLS failure is a DialError naming it.
 */
async function dialTarget(
  ctx: DialContext,
  deadlineMs: number,
  dialled?: (address: string) => void,
): Promise<TLSSocket> {
  const { target, credentials, now } = ctx;
  let addresses: string[];
  if (target.address) addresses = [target.address];
  else {
    if (!ctx.names || !target.name) throw new NameLookupError("NO_NAME", `${target.endpoint} has no name`);
    addresses = (await ctx.names.resolve(target.name)).addresses;
  }
  const { socket, address, tried } = await dialInOrder(
    addresses,
    deadlineMs,
    ctx.policy,
    (a, until) => connectOne(a, target.port, until, now),
    now,
  );
  dialled?.(address);
  return new Promise((resolve, reject) => {
    const secure: TLSSocket = tlsConnect({
      socket,
      ...(target.name ? { servername: target.name } : {}),
      secureContext: ctx.secureContext,
      rejectUnauthorized: credentials.rejectUnauthorized,
      // The check a client makes: for exactly what it dialled, the name or else the address.
      checkServerIdentity: (): Error | undefined =>
        serverIdentityError(secure.getPeerX509Certificate(), target.name ?? address),
      ALPNProtocols: ["http/1.1"],
    });
    // Node's TLS client asks for the peer's whole chain as objects (every certificate's fields, key and three
    // fingerprints) only to hand it to the check above, which reads the leaf's names: a fifth of a new probe's CPU
    // at 120 dials a second. The socket is the probe's own and is never asked for it otherwise.
    secure.getPeerCertificate = (() => ({})) as TLSSocket["getPeerCertificate"];
    const timer = setTimeout(
      () => {
        secure.destroy();
        reject(
          new DialError(
            new ProbeTimeout(`no TLS handshake from [${address}]:${target.port}`),
            address,
            tried,
          ),
        );
      },
      Math.max(0, deadlineMs - now()),
    );
    secure.once("secureConnect", () => {
      clearTimeout(timer);
      resolve(secure);
    });
    secure.on("error", (err) => {
      clearTimeout(timer);
      secure.destroy();
      reject(new DialError(err, address, tried));
    });
  });
}

/**
 * A stream's connection: for `reused`, the one kept-alive connection (dialled as the client would, again after it
 * broke); `new` keeps nothing. The socket's listeners stay for its life and hand what arrives to the probe in flight;
 * bytes with no probe in flight, or an error, end the connection, and a closed one is dialled again by the next probe.
 */
export class ProbeAgent {
  private kept?: { socket: TLSSocket; address: string };
  private listener?: {
    data(chunk: string): void;
    error(err: Error): void;
    end(): void;
  };

  constructor(
    readonly ctx: DialContext,
    readonly mode: "new" | "reused",
  ) {}

  /** The kept connection, if it is still open. */
  connection(): { socket: TLSSocket; address: string } | undefined {
    if (this.kept?.socket.destroyed) this.kept = undefined;
    return this.kept;
  }

  keep(socket: TLSSocket, address: string): void {
    this.kept = { socket, address };
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      if (this.listener) this.listener.data(chunk);
      else socket.destroy(); // an answer nobody asked for: the connection is not clean
    });
    socket.on("error", (err) => {
      this.listener?.error(err);
      socket.destroy();
    });
    socket.once("end", () => {
      this.listener?.end();
      socket.destroy();
    });
    socket.once("close", () => {
      if (this.kept?.socket === socket) this.kept = undefined;
    });
  }

  listen(listener: ProbeAgent["listener"]): void {
    this.listener = listener;
  }

  /** Ends the kept connection (a broken or finished stream). */
  drop(socket?: TLSSocket): void {
    if (!socket || this.kept?.socket === socket) {
      this.kept?.socket.destroy();
      this.kept = undefined;
    }
  }

  destroy(): void {
    this.listener = undefined;
    this.drop();
  }
}

export function probeAgent(
  target: ProbeTarget,
  mode: "new" | "reused",
  credentials: ProbeCredentials,
  policy: DialPolicy,
  names: NameCache | undefined,
  now: () => number,
  secureContext = probeSecureContext(credentials),
): ProbeAgent {
  // A probe writes its request itself: a header that breaks a line would write a request of its own.
  for (const [k, v] of Object.entries(credentials.headers))
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v))
      throw new Error(`the kubeconfig's ${k} header holds a line break`);
  return new ProbeAgent({ target, credentials, secureContext, policy, names, now }, mode);
}

/**
 * The kubeconfig's CA and client certificate as one TLS context (parsing a CA per handshake costs milliseconds).
 * Key exchange is classical X25519 (then P-256, P-384), without the post-quantum hybrid OpenSSL 3.5 and Go 1.24 put
 * first: what a probe measures does not depend on it, and it costs the probe and the server it measures a fifth of
 * each handshake's CPU, 120 handshakes a second at 50 ms × 6 ways in.
 */
export function probeSecureContext(credentials: ProbeCredentials): SecureContext {
  return createSecureContext({
    ecdhCurve: "X25519:P-256:P-384",
    ...(credentials.ca ? { ca: credentials.ca } : {}),
    ...(credentials.cert ? { cert: credentials.cert } : {}),
    ...(credentials.key ? { key: credentials.key } : {}),
  });
}

/** The GET as both modes write it (a `new` one asks the server to close after the answer). */
function requestHead(ctx: DialContext, mode: "new" | "reused", path: string): string {
  const { target, credentials } = ctx;
  const headers = {
    ...credentials.headers,
    host: target.name ?? `[${target.address}]:${target.port}`,
    accept: "application/json",
    "user-agent": "k3s-ha-console/failover-probe",
    ...(mode === "new" ? { connection: "close" } : {}),
  };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})[ \r]/;

/**
 * A `new` probe without Node's HTTP client: dial (TCP in the client's order, TLS), write the GET, read the status
 * line, close. The answer is the status line, as it would be to the HTTP client; the client's own machinery
 * (request objects, a parser, an agent's bookkeeping) cost about a fifth of a probe's CPU at 120 dials a second.
 */
function probeNew(ctx: DialContext, path: string, timeoutMs: number): Promise<ProbeResult> {
  const { target, now } = ctx;
  const start = now();
  const head = requestHead(ctx, "new", path);
  return new Promise((resolve) => {
    let done = false;
    let socket: TLSSocket | undefined;
    let address = target.address;
    const finish = (r: Omit<ProbeResult, "durationMs">) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      const addr = r.address ?? address;
      resolve({
        ...r,
        ...(addr ? { address: addr } : {}),
        durationMs: Math.round((now() - start) * 10) / 10,
      });
    };
    const timer = setTimeout(
      () => finish({ outcome: "timeout", error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    dialTarget(ctx, start + timeoutMs, (a) => {
      address = a;
    }).then(
      (s) => {
        socket = s;
        if (done) {
          s.destroy();
          return;
        }
        let got = "";
        s.setEncoding("latin1");
        s.on("data", (chunk: string) => {
          got += chunk;
          const m = STATUS_LINE.exec(got);
          if (m) finish({ outcome: statusOutcome(Number(m[1])) });
          else if (got.length > 64 || got.includes("\n"))
            finish({ outcome: "reset", error: `not an HTTP answer: ${JSON.stringify(got.slice(0, 40))}` });
        });
        s.on("error", (err) => finish(classifyError(err)));
        s.once("end", () => finish({ outcome: "reset", error: "the connection closed before an answer" }));
        s.write(head);
      },
      (err: Error) => finish(classifyError(err)),
    );
  });
}

/** One GET on `agent`, given up after `timeoutMs`; never throws. */
export function probeOnce(agent: ProbeAgent, path: string, timeoutMs: number): Promise<ProbeResult> {
  return agent.mode === "new" ? probeNew(agent.ctx, path, timeoutMs) : probeReused(agent, path, timeoutMs);
}

/**
 * A `reused` probe: the GET on the stream's kept connection (dialled first when there is none), its answer read to
 * the end so that the connection can carry the next one — without Node's HTTP client, whose request objects, parser
 * and agent bookkeeping cost more than the request itself. A timeout, an error or a cut answer ends the connection:
 * the next probe dials again, as a long-lived client reconnects.
 */
function probeReused(agent: ProbeAgent, path: string, timeoutMs: number): Promise<ProbeResult> {
  const ctx = agent.ctx;
  const { target, now } = ctx;
  const start = now();
  const head = requestHead(ctx, "reused", path);
  return new Promise((resolve) => {
    let done = false;
    let socket: TLSSocket | undefined;
    let address = target.address;
    const finish = (r: Omit<ProbeResult, "durationMs">, keep = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      agent.listen(undefined);
      if (!keep) agent.drop(socket);
      const addr = r.address ?? address;
      resolve({
        ...r,
        ...(addr ? { address: addr } : {}),
        durationMs: Math.round((now() - start) * 10) / 10,
      });
    };
    const timer = setTimeout(
      () => finish({ outcome: "timeout", error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    const send = (s: TLSSocket) => {
      socket = s;
      const reader = new AnswerReader();
      agent.listen({
        data(chunk) {
          try {
            const answer = reader.push(chunk);
            if (answer) finish({ outcome: statusOutcome(answer.status) }, answer.keepAlive);
          } catch (err) {
            finish({ outcome: "reset", error: (err as Error).message });
          }
        },
        error: (err) => finish(classifyError(err)),
        end() {
          const answer = reader.end();
          if (answer) finish({ outcome: statusOutcome(answer.status) });
          else finish({ outcome: "reset", error: "the connection closed before an answer" });
        },
      });
      s.write(head);
    };
    const kept = agent.connection();
    if (kept) {
      address = kept.address;
      send(kept.socket);
      return;
    }
    dialTarget(ctx, start + timeoutMs, (a) => {
      address = a;
    }).then(
      (s) => {
        if (done) {
          s.destroy();
          return;
        }
        agent.keep(s, address ?? "");
        send(s);
      },
      (err: Error) => finish(classifyError(err)),
    );
  });
}
