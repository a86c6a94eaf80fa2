// Sign-in, sign-out and the current session.
import { loginBodySchema, type SessionInfo } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { AppError } from "../errors.js";

/** Public: POST /api/auth/login. */
export const loginRoutes: FastifyPluginAsync = async (app) => {
  app.post("/api/auth/login", async (request, reply): Promise<SessionInfo> => {
    const body = loginBodySchema.safeParse(request.body);
    if (!body.success) throw new AppError("BAD_REQUEST", "Send JSON with username and password");
    const { username, password } = body.data;
    try {
      const principal = await app.login(request, reply, username, password);
      app.audit({ actor: username, action: "auth.login", outcome: "ok", detail: `from ${request.ip}` });
      return { user: principal.user, csrfToken: principal.csrfToken ?? "" };
    } catch (err) {
      if (err instanceof AppError && err.code !== "RATE_LIMITED") {
        app.audit({ actor: username, action: "auth.login", outcome: "denied", detail: `from ${request.ip}` });
      }
      throw err;
    }
  });
};

/** Authenticated: session and logout. */
export const sessionRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/auth/session", async (request): Promise<SessionInfo> => {
    const p = request.principal;
    if (!p) throw new AppError("UNAUTHENTICATED", "Sign in first");
    return { user: p.user, csrfToken: p.csrfToken ?? "" };
  });

  app.post("/api/auth/logout", async (request, reply) => {
    app.logout(request, reply);
    app.audit({ actor: request.principal?.user ?? "unknown", action: "auth.logout", outcome: "ok" });
    return reply.code(204).send();
  });
};
