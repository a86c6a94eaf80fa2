// Our own errors with stable codes; one handler turns them into {code, message} and hides internals of 5xx.
import type { FastifyError, FastifyInstance } from "fastify";
import { ZodError, type ZodType } from "zod";

export type ErrorCode =
  | "UNAUTHENTICATED"
  | "BAD_CREDENTIALS"
  | "WRONG_PASSWORD"
  | "PASSWORD_MANAGED"
  | "RATE_LIMITED"
  | "CSRF_REJECTED"
  | "FORBIDDEN"
  | "HOST_REFUSED"
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PLAN_INVALID"
  | "PLAN_UNAVAILABLE"
  | "HOST_KEY_PINNED"
  | "HOST_KEY_NOT_OFFERED"
  | "FINGERPRINT_CHANGED"
  | "CALICO_NOT_INSTALLED"
  | "K8S_FORBIDDEN"
  | "K8S_UNAVAILABLE"
  | "ROUTER_UNAVAILABLE"
  | "OPERATION_IN_PROGRESS"
  | "PREFLIGHT_FAILED"
  | "RUN_NOT_ACTIVE"
  | "RUN_ACTIVE"
  | "STEP_BLOCKED"
  | "STEP_REFUSED"
  | "STEP_MANUAL"
  | "STEP_NOT_UNDOABLE"
  | "UNDO_REFUSED"
  | "STEP_REQUIRED_BY"
  | "CONFIRMATION_REQUIRED"
  | "INTERNAL";

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  WRONG_PASSWORD: 403,
  PASSWORD_MANAGED: 409,
  RATE_LIMITED: 429,
  CSRF_REJECTED: 403,
  FORBIDDEN: 403,
  HOST_REFUSED: 421,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PLAN_INVALID: 422,
  PLAN_UNAVAILABLE: 503,
  HOST_KEY_PINNED: 409,
  HOST_KEY_NOT_OFFERED: 409,
  FINGERPRINT_CHANGED: 409,
  CALICO_NOT_INSTALLED: 409,
  K8S_FORBIDDEN: 403,
  K8S_UNAVAILABLE: 502,
  ROUTER_UNAVAILABLE: 502,
  OPERATION_IN_PROGRESS: 409,
  PREFLIGHT_FAILED: 409,
  RUN_NOT_ACTIVE: 409,
  RUN_ACTIVE: 409,
  STEP_BLOCKED: 409,
  STEP_REFUSED: 409,
  STEP_MANUAL: 409,
  STEP_NOT_UNDOABLE: 409,
  UNDO_REFUSED: 409,
  STEP_REQUIRED_BY: 409,
  CONFIRMATION_REQUIRED: 428,
  INTERNAL: 500,
};

/** Fastify's own 4xx errors (FST_*) answered with our stable codes, by status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
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

function issuesOf(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

function parseWith<T>(schema: ZodType<T>, value: unknown, what: string, fallback: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issuesOf(result.error);
  const first = details[0];
  const where = first
    ? `${fallback} (${first.path ? `${what} ${first.path}: ` : ""}${first.message})`
    : fallback;
  throw new AppError("BAD_REQUEST", where, details);
}

/** Validates a JSON body; the message names the first field that is wrong. */
export function parseBody<T>(schema: ZodType<T>, body: unknown, fallback: string): T {
  return parseWith(schema, body, "field", fallback);
}

/** Validates query parameters; the message names the parameter. */
export function parseQuery<T>(schema: ZodType<T>, query: unknown): T {
  return parseWith(schema, query, "query parameter", "The query parameters are not valid");
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | ZodError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.statusCode).send({ code: err.code, message: err.message, details: err.details });
    }
    if (err instanceof ZodError) {
      return reply
        .code(400)
        .send({ code: "BAD_REQUEST", message: "The request is not valid", details: issuesOf(err) });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err }, "request failed");
      return reply.code(500).send({ code: "INTERNAL", message: "Internal server error" });
    }
    const code = CODE_BY_STATUS[status] ?? "BAD_REQUEST";
    return reply.code(status).send({ code, message: err.message });
  });
}
