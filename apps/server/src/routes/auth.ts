// Sign-in, sign-out, the current session and the password change.
import { loginBodySchema, passwordChangeBodySchema, type SessionInfo } from "@k3s-ha/shared";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { AppError, parseBody } from "../errors.js";
import type { Principal } from "../plugins/auth.js";
import { clientNetwork } from "../plugins/login-throttle.js";
import { SIGN_IN_RATE_LIMIT } from "../plugins/rate-limit.js";

/** What a page knows of its session; the same for sign-in, the session probe and a password change. */
function sessionInfo(app: FastifyInstance, p: Principal): SessionInfo {
  return { user: p.user, csrfToken: p.csrfToken ?? "", passwordManaged: app.passwordManaged(p.user) };
}

/** Public: POST /api/auth/login. */
export const loginRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    "/api/auth/login",
    { config: { rateLimit: SIGN_IN_RATE_LIMIT } },
    async (request, reply): Promise<SessionInfo> => {
      // A name with control or bidi characters is refused here, before anything is written to the audit log.
      const { username, password } = parseBody(
        loginBodySchema,
        request.body,
        "Send JSON with username and password",
      );
      try {
        const principal = await app.login(request, reply, username, password);
        app.audit({ actor: username, action: "auth.login", outcome: "ok", detail: `from ${request.ip}` });
        return sessionInfo(app, principal);
      } catch (err) {
        if (err instanceof AppError && (err.code === "BAD_CREDENTIALS" || err.code === "RATE_LIMITED")) {
          app.auditDeniedSignIn({
            user: username,
            client: clientNetwork(request.ip),
            throttled: err.code === "RATE_LIMITED",
          });
        }
        throw err;
      }
    },
  );
};

/** Authenticated: session, logout and password change. */
export const sessionRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/auth/session", async (request): Promise<SessionInfo> => {
    const p = request.principal;
    if (!p) throw new AppError("UNAUTHENTICATED", "Sign in first");
    return sessionInfo(app, p);
  });

  app.post("/api/auth/logout", async (request, reply) => {
    app.logout(request, reply);
    app.audit({ actor: request.principal?.user ?? "unknown", action: "auth.logout", outcome: "ok" });
    return reply.code(204).send();
  });

  app.post(
    "/api/auth/password",
    { config: { rateLimit: SIGN_IN_RATE_LIMIT } },
    async (request, reply): Promise<SessionInfo> => {
      const body = parseBody(
        passwordChangeBodySchema,
        request.body,
        "Send JSON with currentPassword and newPassword",
      );
      const actor = request.principal?.user ?? "unknown";
      try {
        const { principal, sessionsEnded } = await app.changePassword(
          request,
          reply,
          body.currentPassword,
          body.newPassword,
        );
        app.audit({
          actor,
          action: "auth.password-change",
          target: actor,
          outcome: "ok",
          detail: `from ${request.ip}; ${sessionsEnded} session(s) ended, a new one started for this client`,
        });
        return sessionInfo(app, principal);
      } catch (err) {
        if (err instanceof AppError) {
          app.audit({
            actor,
            action: "auth.password-change",
            target: actor,
            outcome: "denied",
            detail: err.message,
          });
        }
        throw err;
      }
    },
  );
};
