// Writing answers as the apiserver does (JSON, Status objects with their HTTP code) and reading request bodies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import {
  badRequest,
  failure,
  internalError,
  type Status,
  StatusError,
  unsupportedMediaType,
} from "../status.js";

const MAX_BODY = 3 * 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = "application/json",
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    "content-type": contentType,
    "cache-control": "no-cache, private",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: Status): void {
  const headers: Record<string, string> = {};
  if (status.details?.retryAfterSeconds) headers["retry-after"] = String(status.details.retryAfterSeconds);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, status.code, status);
}

/** Any thrown value as a Status answer; internals of unexpected errors stay out of the message. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof StatusError) sendStatus(res, err.status);
  else sendStatus(res, internalError((err as Error)?.message ?? "unknown error").status);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY)
      throw failure(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON (or YAML) request body as an object. */
export function parseObjectBody(text: string, contentType: string | undefined): unknown {
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type && type !== "application/json" && type !== "application/yaml" && type !== "*/*") {
    throw unsupportedMediaType(["application/json", "application/yaml"]);
  }
  if (!text.trim()) throw badRequest("the body of the request was empty");
  try {
    if ((contentType ?? "").includes("yaml")) return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`the object provided is unrecognized: ${(err as Error).message}`);
  }
}
