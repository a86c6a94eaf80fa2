// The one websocket at /api/ws: typed client and server messages, and topic names.
import { z } from "zod";
import { runEventSchema, runStateSchema, sampleSchema } from "./failover.js";

const RUN_ID = /^[a-z0-9-]{1,64}$/;

/**
 * State topics carry change events; the client refetches the matching queries. `sources` changes when a source's
 * status changes, and beats every 10 s so pages can show ages. Topics with a parameter (`node:<name>`) belong to a
 * family (`node`) that the web maps to its queries.
 */
export const stateTopics = [
  "plan",
  "audit",
  "sources",
  "router",
  "kubernetes",
  "dns",
  "endpoints",
  "failover",
  "setup",
] as const;
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
  /**
   * A run's samples and events as data: everything after `since` (the last sample seq the client holds) and
   * `eventsSince`, then live — no gap, no duplicate.
   */
  z.strictObject({
    type: z.literal("follow-run"),
    runId: z.string().regex(RUN_ID, "a run id"),
    since: z.number().int().min(0).default(0),
    eventsSince: z.number().int().min(0).default(0),
  }),
  z.strictObject({ type: z.literal("unfollow-run"), runId: z.string().regex(RUN_ID, "a run id") }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), serverTime: z.string() }),
  z.object({ type: z.literal("subscribed"), topics: z.array(topicSchema) }),
  z.object({ type: z.literal("unsubscribed"), topics: z.array(topicSchema) }),
  /** Something under `topic` changed; `seq` grows per topic so stale events can be ignored. */
  z.object({ type: z.literal("changed"), topic: topicSchema, seq: z.number().int(), at: z.string() }),
  z.object({ type: z.literal("pong"), id: z.number().int().optional() }),
  /** A batch of a run's samples, in seq order, each seq exactly once per follow. */
  z.object({ type: z.literal("run-samples"), runId: z.string(), samples: z.array(sampleSchema) }),
  z.object({ type: z.literal("run-events"), runId: z.string(), events: z.array(runEventSchema) }),
  /** The run's state now (sent on follow and whenever it changes). */
  z.object({ type: z.literal("run-state"), runId: z.string(), state: runStateSchema }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
