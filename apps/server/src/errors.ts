// Our own errors with stable codes; one handler turns them into {code, message} and hides internals of 5xx.
import type { FastifyError, FastifyInstance } from "fastify";
import { ZodError } from "zod";

export type ErrorCode =
  | "UNAUTHENTICATED"
  | "BAD_CREDENTIALS"
  | "RATE_LIMITED"
  | "CSRF_REJECTED"
  | "FORBIDDEN"
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "PLAN_INVALID"
  | "PLAN_UNAVAILABLE"
  | "INTERNAL";

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  RATE_LIMITED: 429,
  CSRF_REJECTED: 403,
  FORBIDDEN: 403,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  PLAN_INVALID: 422,
  PLAN_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.statusCode = STATUS[code];
  }
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | ZodError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.statusCode).send({ code: err.code, message: err.message, details: err.details });
    }
    if (err instanceof ZodError) {
      const details = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      return reply.code(400).send({ code: "BAD_REQUEST", message: "The request body is not valid", details });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err }, "request failed");
      return reply.code(500).send({ code: "INTERNAL", message: "Internal server error" });
    }
    return reply.code(status).send({ code: err.code ?? "BAD_REQUEST", message: err.message });
  });
}
