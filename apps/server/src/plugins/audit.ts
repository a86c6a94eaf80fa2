// Records every operator action in the audit log and tells subscribers of the "audit" topic.
import fp from "fastify-plugin";
import type { AuditRecord } from "./store.js";

/** Denied sign-ins from one client within this window share one audit row that counts them. */
const DENIED_WINDOW_MS = 10 * 60_000;
/** Open aggregates kept; past this, further clients share one "(other clients)" row until windows close. */
const MAX_AGGREGATES = 1000;
const USERS_LISTED = 5;
/** A flood updates its row on every attempt but tells open pages at most this often. */
const PUBLISH_EVERY_MS = 2000;

export interface DeniedSignIn {
  user: string;
  /** The client network (an IPv6 /64 or an IPv4 address), as the sign-in throttle groups clients. */
  client: string;
  /** Refused by the throttle before any password check. */
  throttled: boolean;
}

interface Aggregate {
  id: number;
  count: number;
  throttled: number;
  firstAt: string;
  lastAt: string;
  windowStart: number;
  users: string[];
  moreUsers: number;
  lastPublished: number;
}

declare module "fastify" {
  interface FastifyInstance {
    audit: (record: AuditRecord) => void;
    /** One row per client and 10-minute window for denied sign-ins: first and last attempt and the count. */
    auditDeniedSignIn: (attempt: DeniedSignIn) => void;
  }
}

function describe(client: string, a: Aggregate): string {
  const users = `${a.users.join(", ")}${a.moreUsers > 0 ? ` (+${a.moreUsers} more)` : ""}`;
  const throttled =
    a.throttled > 0 ? ` (${a.throttled} refused by the throttle before any password check)` : "";
  const span = a.count === 1 ? `at ${a.firstAt}` : `first ${a.firstAt}, last ${a.lastAt}`;
  return `${a.count} denied sign-in(s)${throttled} from ${client}, ${span}; user names: ${users}`;
}

export default fp(
  async (app) => {
    const aggregates = new Map<string, Aggregate>();

    app.decorate("audit", (record: AuditRecord) => {
      app.store.audit(record);
      app.hub.publish("audit");
    });

    app.decorate("auditDeniedSignIn", ({ user, client, throttled }: DeniedSignIn) => {
      const now = Date.now();
      const at = new Date(now).toISOString();
      if (aggregates.size >= MAX_AGGREGATES && !aggregates.has(client)) {
        for (const [key, a] of aggregates) if (now - a.windowStart > DENIED_WINDOW_MS) aggregates.delete(key);
      }
      const key = aggregates.size >= MAX_AGGREGATES && !aggregates.has(client) ? "(other clients)" : client;
      const a = aggregates.get(key);
      if (!a || now - a.windowStart > DENIED_WINDOW_MS) {
        const fresh: Aggregate = {
          id: 0,
          count: 1,
          throttled: throttled ? 1 : 0,
          firstAt: at,
          lastAt: at,
          windowStart: now,
          users: [user],
          moreUsers: 0,
          lastPublished: now,
        };
        fresh.id = app.store.audit({
          actor: user,
          action: "auth.login",
          outcome: "denied",
          detail: describe(key, fresh),
        }).id;
        aggregates.delete(key);
        aggregates.set(key, fresh);
        app.hub.publish("audit");
        return;
      }
      a.count++;
      if (throttled) a.throttled++;
      a.lastAt = at;
      if (!a.users.includes(user)) {
        if (a.users.length < USERS_LISTED) a.users.push(user);
        else a.moreUsers++;
      }
      app.store.updateAuditDetail(a.id, a.users[0] ?? user, describe(key, a));
      if (now - a.lastPublished >= PUBLISH_EVERY_MS) {
        a.lastPublished = now;
        app.hub.publish("audit");
      }
    });
  },
  { name: "audit", dependencies: ["store", "hub"] },
);
