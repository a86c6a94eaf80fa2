// A ceiling on requests per client network (IPv6 /64) or per API token across the console, via @fastify/rate-limit.
import { createHash, timingSafeEqual } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import { clientNetwork } from "./login-throttle.js";

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
/** Sign-in and password-change requests per client network and minute, on top of the failed sign-in policy. */
export const SIGN_IN_RATE_LIMIT = { max: 30, timeWindow: 60_000 };

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

export async function registerRateLimit(
  app: FastifyInstance,
  options: { perMinute?: number; apiToken?: string },
): Promise<void> {
  const token = options.apiToken ? digest(options.apiToken) : undefined;
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    cache: 20_000,
    // The API token has its own bucket (automation may run from several hosts); anything else counts per network,
    // so that made-up cookies or tokens never open fresh buckets.
    keyGenerator: (request) => {
      const authz = request.headers.authorization;
      if (token && authz?.startsWith("Bearer ") && timingSafeEqual(digest(authz.slice(7).trim()), token)) {
        return "token";
      }
      return `net:${clientNetwork(request.ip)}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError(
        "RATE_LIMITED",
        `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`,
        undefined,
        {
          "retry-after": String(Math.ceil(context.ttl / 1000)),
        },
      ),
  });
}
