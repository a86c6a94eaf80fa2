// Authentication: the admin account, session cookies with CSRF tokens, the API bearer token, and login throttling.
import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../errors.js";
import { LoginThrottle } from "./login-throttle.js";

const scryptAsync = promisify(scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;

export const SESSION_COOKIE = "k3s_ha_session";
export const ADMIN_USER = "admin";
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export interface AuthOptions {
  adminPassword?: string;
  apiToken?: string;
  announce: (line: string) => void;
}

export interface Principal {
  user: string;
  via: "session" | "token";
  csrfToken?: string;
  sessionHash?: string;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    login: (
      request: FastifyRequest,
      reply: FastifyReply,
      user: string,
      password: string,
    ) => Promise<Principal>;
    logout: (request: FastifyRequest, reply: FastifyReply) => void;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sessionCookie(value: string, request: FastifyRequest, maxAgeSeconds: number): string {
  const secure = request.protocol === "https" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export default fp<AuthOptions>(
  async (app, opts) => {
    const store = app.store;
    if (opts.adminPassword) {
      store.setUserPassword(ADMIN_USER, await hashPassword(opts.adminPassword));
    } else if (!store.userPasswordHash(ADMIN_USER)) {
      const generated = randomBytes(18).toString("base64url");
      store.setUserPassword(ADMIN_USER, await hashPassword(generated));
      opts.announce(`First start: created user "${ADMIN_USER}" with password ${generated}`);
      opts.announce("It is shown only this once; set K3S_HA_ADMIN_PASSWORD to choose your own.");
    }
    const throttle = new LoginThrottle();

    app.decorate("authenticate", async (request: FastifyRequest, _reply: FastifyReply) => {
      const authz = request.headers.authorization;
      if (authz?.startsWith("Bearer ")) {
        if (opts.apiToken && safeEqual(authz.slice(7).trim(), opts.apiToken)) {
          request.principal = { user: "api-token", via: "token" };
          return;
        }
        throw new AppError("UNAUTHENTICATED", "The bearer token is not valid");
      }
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      const sessionHash = token ? sha256(token) : undefined;
      const session = sessionHash ? store.session(sessionHash) : undefined;
      if (!session || !sessionHash) throw new AppError("UNAUTHENTICATED", "Sign in first");
      request.principal = { user: session.user, via: "session", csrfToken: session.csrfToken, sessionHash };
      if (MUTATING.has(request.method)) {
        const sent = request.headers["x-csrf-token"];
        if (typeof sent !== "string" || !safeEqual(sent, session.csrfToken)) {
          throw new AppError("CSRF_REJECTED", "Missing or wrong x-csrf-token header");
        }
      }
      // A browser opening the websocket sends its Origin; cookies must not be usable from another site.
      const origin = request.headers.origin;
      if (origin && request.headers.upgrade && new URL(origin).host !== request.headers.host) {
        throw new AppError("FORBIDDEN", "Cross-origin websocket refused");
      }
    });

    app.decorate(
      "login",
      async (request: FastifyRequest, reply: FastifyReply, user: string, password: string) => {
        const keys = [`ip:${request.ip}`, `user:${user}`];
        const wait = throttle.retryAfterSeconds(keys);
        if (wait > 0) {
          throw new AppError("RATE_LIMITED", `Too many failed sign-ins; try again in ${wait} s`, undefined, {
            "retry-after": String(wait),
          });
        }
        const stored = store.userPasswordHash(user);
        const ok = stored !== undefined && (await verifyPassword(password, stored));
        if (!ok) {
          throttle.fail(keys);
          throw new AppError("BAD_CREDENTIALS", "Wrong user name or password");
        }
        throttle.succeed(keys);
        const token = randomBytes(32).toString("base64url");
        const csrfToken = randomBytes(24).toString("base64url");
        store.createSession(sha256(token), user, csrfToken, SESSION_TTL_MS);
        reply.header("set-cookie", sessionCookie(token, request, SESSION_TTL_MS / 1000));
        return { user, via: "session", csrfToken };
      },
    );

    app.decorate("logout", (request: FastifyRequest, reply: FastifyReply) => {
      if (request.principal?.sessionHash) store.deleteSession(request.principal.sessionHash);
      reply.header("set-cookie", sessionCookie("", request, 0));
    });
  },
  { name: "auth", dependencies: ["store"] },
);
