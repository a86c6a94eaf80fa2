// Authentication: the admin account, session cookies with derived CSRF tokens, the API bearer token, sign-in policy.
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { MIN_PASSWORD_LENGTH } from "@k3s-ha/shared";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../errors.js";
import { LoginThrottle } from "./login-throttle.js";
import { checkOrigin } from "./origin.js";
import { SessionSockets } from "./session-sockets.js";

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
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface AuthOptions {
  adminPassword?: string;
  apiToken?: string;
  announce: (line: string) => void;
  /** The console's one public origin, when configured: the origin the websocket and mutating requests must come from. */
  publicUrl?: string;
}

export interface Principal {
  user: string;
  via: "session" | "token";
  csrfToken?: string;
  sessionHash?: string;
  expiresAt?: string;
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
    changePassword: (
      request: FastifyRequest,
      reply: FastifyReply,
      current: string,
      next: string,
    ) => Promise<{ principal: Principal; sessionsEnded: number }>;
    sessionSockets: SessionSockets;
    /** True when the environment sets this user's password (K3S_HA_ADMIN_PASSWORD). */
    passwordManaged: (user: string) => boolean;
    loginThrottle: LoginThrottle;
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

/** The CSRF token of a session, derived from its token: nothing to store, nothing to steal from the database. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac("sha256", sessionToken).update("k3s-ha csrf v1").digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

function setSessionCookie(reply: FastifyReply, value: string, maxAgeSeconds: number): void {
  // Secure whenever the request came over TLS, the console's own or a trusted proxy's (X-Forwarded-Proto).
  reply.setCookie(SESSION_COOKIE, value, {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    maxAge: maxAgeSeconds,
    secure: "auto",
  });
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export default fp<AuthOptions>(
  async (app, opts) => {
    const store = app.store;
    await applyConfiguredPassword(app, opts);
    // Unknown users are checked against this, so that a wrong name costs as long as a wrong password.
    const dummyHash = await hashPassword(randomBytes(18).toString("base64url"));
    const throttle = new LoginThrottle();
    const sockets = new SessionSockets();
    app.decorate("sessionSockets", sockets);
    app.decorate("loginThrottle", throttle);
    app.decorate("passwordManaged", (user: string) => Boolean(opts.adminPassword) && user === ADMIN_USER);
    app.addHook("onClose", async () => sockets.closeAll());

    app.decorate("authenticate", async (request: FastifyRequest, _reply: FastifyReply) => {
      const authz = request.headers.authorization;
      if (authz?.startsWith("Bearer ")) {
        if (opts.apiToken && safeEqual(authz.slice(7).trim(), opts.apiToken)) {
          request.principal = { user: "api-token", via: "token" };
          return;
        }
        throw new AppError("UNAUTHENTICATED", "The bearer token is not valid");
      }
      const token = request.cookies[SESSION_COOKIE];
      const sessionHash = token && TOKEN_SHAPE.test(token) ? sha256(token) : undefined;
      const session = sessionHash ? store.session(sessionHash) : undefined;
      if (!token || !session || !sessionHash) throw new AppError("UNAUTHENTICATED", "Sign in first");
      const csrfToken = csrfTokenFor(token);
      request.principal = {
        user: session.user,
        via: "session",
        csrfToken,
        sessionHash,
        expiresAt: session.expiresAt,
      };
      if (MUTATING.has(request.method)) {
        const sent = request.headers["x-csrf-token"];
        if (typeof sent !== "string" || !safeEqual(sent, csrfToken)) {
          throw new AppError("CSRF_REJECTED", "Missing or wrong x-csrf-token header");
        }
      }
      // Cookies must not be usable from another site: a browser sends its Origin on websockets and writes.
      if (request.headers.upgrade || MUTATING.has(request.method)) checkOrigin(request, opts.publicUrl);
    });

    /** Checks a password under the sign-in policy (see login-throttle.ts); throws RATE_LIMITED or BAD_CREDENTIALS. */
    const checkPassword = async (request: FastifyRequest, user: string, password: string): Promise<void> => {
      const stored = store.userPasswordHash(user);
      const admission = throttle.admit(user, request.ip, stored !== undefined);
      if (!admission.ok) {
        throw new AppError(
          "RATE_LIMITED",
          `Too many failed sign-ins; try again in ${admission.retryAfterSeconds} s`,
          { reason: admission.reason },
          { "retry-after": String(admission.retryAfterSeconds) },
        );
      }
      let ok: boolean;
      try {
        if (admission.waitMs > 0) await new Promise((r) => setTimeout(r, admission.waitMs));
        ok = (await verifyPassword(password, stored ?? dummyHash)) && stored !== undefined;
      } catch (err) {
        throttle.release(admission.ticket);
        throw err;
      }
      if (!ok) {
        throttle.fail(admission.ticket);
        throw new AppError("BAD_CREDENTIALS", "Wrong user name or password");
      }
      throttle.succeed(admission.ticket);
    };

    const startSession = (reply: FastifyReply, user: string): Principal => {
      const token = randomBytes(32).toString("base64url");
      const sessionHash = sha256(token);
      const row = store.createSession(sessionHash, user, SESSION_TTL_MS);
      setSessionCookie(reply, token, SESSION_TTL_MS / 1000);
      return { user, via: "session", csrfToken: csrfTokenFor(token), sessionHash, expiresAt: row.expiresAt };
    };

    app.decorate(
      "login",
      async (request: FastifyRequest, reply: FastifyReply, user: string, password: string) => {
        await checkPassword(request, user, password);
        return startSession(reply, user);
      },
    );

    app.decorate("logout", (request: FastifyRequest, reply: FastifyReply) => {
      const hash = request.principal?.sessionHash;
      if (hash) {
        store.deleteSession(hash);
        sockets.endSession(hash, "signed out");
      }
      setSessionCookie(reply, "", 0);
    });

    app.decorate(
      "changePassword",
      async (request: FastifyRequest, reply: FastifyReply, current: string, next: string) => {
        const p = request.principal;
        if (p?.via !== "session")
          throw new AppError("FORBIDDEN", "Only a signed-in user can change a password");
        if (app.passwordManaged(p.user)) {
          throw new AppError(
            "PASSWORD_MANAGED",
            "The admin password is set by K3S_HA_ADMIN_PASSWORD; change it there and restart the console",
          );
        }
        try {
          await checkPassword(request, p.user, current);
        } catch (err) {
          // A wrong current password is not a lost session: answer 403, not 401 (which would sign the page out).
          if (err instanceof AppError && err.code === "BAD_CREDENTIALS") {
            throw new AppError("WRONG_PASSWORD", "The current password is wrong");
          }
          throw err;
        }
        if (next.length < MIN_PASSWORD_LENGTH) {
          throw new AppError(
            "BAD_REQUEST",
            `The new password needs at least ${MIN_PASSWORD_LENGTH} characters`,
          );
        }
        if (next === current)
          throw new AppError("BAD_REQUEST", "The new password is the same as the current one");
        store.setUserPassword(p.user, await hashPassword(next));
        const sessionsEnded = store.deleteSessionsOf(p.user);
        sockets.endUser(p.user, "password changed");
        return { principal: startSession(reply, p.user), sessionsEnded };
      },
    );
  },
  { name: "auth", dependencies: ["store", "audit"] },
);

/**
 * K3S_HA_ADMIN_PASSWORD is applied at every start. The configured password is verified against the stored hash
 * (hashes differ by salt every time): only a real change rewrites it, ends the user's sessions and is audited.
 */
async function applyConfiguredPassword(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  const store = app.store;
  const stored = store.userPasswordHash(ADMIN_USER);
  if (opts.adminPassword) {
    if (stored && (await verifyPassword(opts.adminPassword, stored))) return;
    store.setUserPassword(ADMIN_USER, await hashPassword(opts.adminPassword));
    if (!stored) return;
    const ended = store.deleteSessionsOf(ADMIN_USER);
    app.audit({
      actor: "K3S_HA_ADMIN_PASSWORD",
      action: "auth.password-change",
      target: ADMIN_USER,
      outcome: "ok",
      detail: `the password set in the environment changed at start; ${ended} session(s) ended`,
    });
  } else if (!stored) {
    const generated = randomBytes(18).toString("base64url");
    store.setUserPassword(ADMIN_USER, await hashPassword(generated));
    opts.announce(`First start: created user "${ADMIN_USER}" with password ${generated}`);
    opts.announce("It is shown only this once; set K3S_HA_ADMIN_PASSWORD to choose your own.");
  }
}
