// The one websocket, /api/ws: clients subscribe to topics and receive change events, and follow failover runs,
// whose samples and events arrive as data (the backlog after `since`, then live).
import { clientMessageSchema, type ServerMessage, type Topic } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";

const MAX_MESSAGE_BYTES = 4096;

/** The state topics and a plan's node topics fit many times over; a socket asking for more is refused. */
export const MAX_TOPICS_PER_SOCKET = 512;
/** A page compares two runs; a socket following more is refused. */
export const MAX_FOLLOWED_RUNS = 8;

export const wsRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/ws", { websocket: true }, (socket, request) => {
    const p = request.principal;
    // Closed with 4401 when the session ends, so a signed-out page stops receiving events at once.
    if (p?.sessionHash && p.expiresAt) app.sessionSockets.add(p.sessionHash, p.user, p.expiresAt, socket);
    const subscriptions = new Map<Topic, () => void>();
    const follows = new Map<string, () => void>();
    const send = (msg: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    };
    send({ type: "hello", serverTime: new Date().toISOString() });

    socket.on("message", (raw: Buffer, isBinary: boolean) => {
      if (isBinary || raw.length > MAX_MESSAGE_BYTES) {
        send({ type: "error", code: "BAD_MESSAGE", message: "Send JSON text messages of at most 4 KiB" });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        send({ type: "error", code: "BAD_MESSAGE", message: "The message is not JSON" });
        return;
      }
      const parsed = clientMessageSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
        send({
          type: "error",
          code: "BAD_MESSAGE",
          message: `Invalid message${where}: ${issue?.message ?? ""}`,
        });
        return;
      }
      const msg = parsed.data;
      if (msg.type === "ping") {
        send({ type: "pong", id: msg.id });
      } else if (msg.type === "follow-run") {
        follows.get(msg.runId)?.();
        if (follows.size >= MAX_FOLLOWED_RUNS) {
          send({
            type: "error",
            code: "TOO_MANY_RUNS",
            message: `A socket may follow at most ${MAX_FOLLOWED_RUNS} runs`,
          });
          return;
        }
        const off = app.failover.follow(msg.runId, msg.since, msg.eventsSince, send);
        if (!off) send({ type: "error", code: "NOT_FOUND", message: `No failover run ${msg.runId}` });
        else follows.set(msg.runId, off);
      } else if (msg.type === "unfollow-run") {
        follows.get(msg.runId)?.();
        follows.delete(msg.runId);
      } else if (msg.type === "subscribe") {
        const fresh = msg.topics.filter((t) => !subscriptions.has(t));
        if (subscriptions.size + fresh.length > MAX_TOPICS_PER_SOCKET) {
          send({
            type: "error",
            code: "TOO_MANY_TOPICS",
            message: `A socket may hold at most ${MAX_TOPICS_PER_SOCKET} topics (it holds ${subscriptions.size})`,
          });
          return;
        }
        for (const topic of msg.topics) {
          if (subscriptions.has(topic)) continue;
          subscriptions.set(
            topic,
            app.hub.subscribe(topic, (e) => send({ type: "changed", topic: e.topic, seq: e.seq, at: e.at })),
          );
        }
        send({ type: "subscribed", topics: [...subscriptions.keys()] });
      } else {
        for (const topic of msg.topics) {
          subscriptions.get(topic)?.();
          subscriptions.delete(topic);
        }
        send({ type: "unsubscribed", topics: msg.topics });
      }
    });
    socket.on("close", () => {
      for (const off of subscriptions.values()) off();
      subscriptions.clear();
      for (const off of follows.values()) off();
      follows.clear();
    });
  });
};
