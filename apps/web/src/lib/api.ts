// The one HTTP client of the console: JSON in and out, the session's CSRF token on mutating requests, errors as ApiError.
import { apiErrorSchema } from "@k3s-ha/shared";
import type { ZodType } from "zod";

/** An API call that did not succeed: the server's stable `code`, or NETWORK_ERROR / BAD_RESPONSE from here. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiRequest<T = void> {
  /** The shape of a successful answer; it is validated, never cast. Without one the answer's body is ignored. */
  schema?: ZodType<T>;
  method?: Method;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * By default a 401 signs the operator out (the unauthorized handler runs) and throws.
   * `expect401` keeps the handler quiet: used by the session probe and by login, where 401 is an answer.
   */
  expect401?: boolean;
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

/** The token from the current session; sent as `x-csrf-token` on every mutating request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when the server says the session is gone (the app goes to the login page). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(
      response.status,
      "BAD_RESPONSE",
      `The server answered ${response.status} with a body that is not JSON.`,
    );
  }
}

export async function apiFetch<T = void>(path: string, request: ApiRequest<T> = {}): Promise<T> {
  const method = request.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new ApiError(0, "NETWORK_ERROR", "The console server cannot be reached.");
  }

  const body = await readJson(response);
  if (response.ok) {
    if (!request.schema) return undefined as T;
    const parsed = request.schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new ApiError(
      response.status,
      "BAD_RESPONSE",
      `The server's answer to ${method} ${path} is not what this page expects${where}: ${issue?.message ?? ""}. Reload the page; if it stays, the console and this page differ in version.`,
    );
  }

  if (response.status === 401 && !request.expect401) onUnauthorized();
  const error = apiErrorSchema.safeParse(body);
  if (error.success)
    throw new ApiError(response.status, error.data.code, error.data.message, error.data.details);
  throw new ApiError(response.status, `HTTP_${response.status}`, `The server answered ${response.status}.`);
}

/**
 * POSTs `body` and saves the answer as a file (a download that must not be a plain link: it is confirmed and
 * audited on the server, e.g. a kubeconfig with credentials). The file never enters the page's state.
 */
export async function downloadPost(path: string, body: unknown, filename: string): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers,
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "NETWORK_ERROR", "The console server cannot be reached.");
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized();
    const error = apiErrorSchema.safeParse(await readJson(response).catch(() => undefined));
    if (error.success) throw new ApiError(response.status, error.data.code, error.data.message);
    throw new ApiError(response.status, `HTTP_${response.status}`, `The server answered ${response.status}.`);
  }
  const url = URL.createObjectURL(await response.blob());
  try {
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }
}
