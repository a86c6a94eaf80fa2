// The one websocket at /api/ws: typed client and server messages, and topic names.
import { z } from "zod";

/**
 * State topics carry change events; the client refetches the matching queries. `sources` changes when a source's
 * status changes, and beats every 10 s so pages can show ages. Topics with a parameter (`node:<name>`) belong to a
 * family (`node`) that the web maps to its queries.
 */
export const stateTopics = ["plan", "audit", "sources", "router", "kubernetes", "dns", "endpoints"] as const;
export type StateTopic = (typeof stateTopics)[number];

/** Parameterised topic families: `node:<name>` (a Kubernetes node name). */
export const topicFamilies = [...stateTopics, "node"] as const;
export type TopicFamily = (typeof topicFamilies)[number];

const NODE_TOPIC = /^node:[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export const topicSchema = z.union([
  z.enum(stateTopics),
  z
    .string()
    .regex(NODE_TOPIC, `a topic is one of ${stateTopics.join(", ")} or node:<node name>`)
    .transform((t) => t as `node:${string}`),
]);
export type Topic = StateTopic | `node:${string}`;

/** The family a topic belongs to (`node:node01` → `node`). */
export function topicFamily(topic: Topic): TopicFamily {
  return topic.startsWith("node:") ? "node" : (topic as StateTopic);
}

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("subscribe"), topics: z.array(topicSchema).min(1).max(32) }),
  z.strictObject({ type: z.literal("unsubscribe"), topics: z.array(topicSchema).min(1).max(32) }),
  z.strictObject({ type: z.literal("ping"), id: z.number().int().optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), serverTime: z.string() }),
  z.object({ type: z.literal("subscribed"), topics: z.array(topicSchema) }),
  z.object({ type: z.literal("unsubscribed"), topics: z.array(topicSchema) }),
  /** Something under `topic` changed; `seq` grows per topic so stale events can be ignored. */
  z.object({ type: z.literal("changed"), topic: topicSchema, seq: z.number().int(), at: z.string() }),
  z.object({ type: z.literal("pong"), id: z.number().int().optional() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
