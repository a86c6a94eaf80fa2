// Where requests may come from: the Origin of browser writes and websockets, and the Host of every request.
import { parseIp } from "@k3s-ha/shared";
import type { FastifyRequest } from "fastify";
import { AppError } from "../errors.js";

/** The origin this request was addressed to: the configured public URL, or the scheme and Host it came with. */
export function expectedOrigin(request: FastifyRequest, publicUrl?: string): string | undefined {
  if (publicUrl) return publicUrl;
  try {
    return new URL(`${request.protocol ?? "http"}://${request.host}`).origin;
  } catch {
    return undefined;
  }
}

/** Refuses a request whose Origin (scheme, host and port) is not this console's; a request without one is not a browser's. */
export function checkOrigin(request: FastifyRequest, publicUrl?: string): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let actual: string | undefined;
  try {
    actual = origin === "null" ? undefined : new URL(origin).origin;
  } catch {
    actual = undefined;
  }
  const expected = expectedOrigin(request, publicUrl);
  if (actual === undefined || expected === undefined || actual !== expected) {
    throw new AppError(
      "FORBIDDEN",
      `Cross-origin request refused: Origin ${JSON.stringify(origin.slice(0, 100))} is not ${expected ?? "this console"}`,
    );
  }
}

function isLoopbackName(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare.endsWith(".localhost") || parseIp(bare) !== null;
}

/**
 * The Host allow-list against DNS rebinding: with a public URL only its host; on a console bound to loopback
 * without one, only loopback names and IP literals (a rebinding attack arrives with the attacker's name as Host).
 */
export function hostAllowed(
  request: FastifyRequest,
  options: { publicUrl?: string; loopbackOnly: boolean },
): boolean {
  const host = request.host;
  // Only HTTP/1.0 clients omit Host, and no browser does: rebinding needs a browser.
  if (!host) return true;
  let url: URL;
  try {
    url = new URL(`${request.protocol ?? "http"}://${host}`);
  } catch {
    return false;
  }
  if (options.publicUrl) return url.host === new URL(options.publicUrl).host;
  return !options.loopbackOnly || isLoopbackName(url.hostname);
}
