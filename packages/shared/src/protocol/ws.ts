// The one websocket at /api/ws: typed client and server messages, and topic names.
import { z } from "zod";

/** State topics carry change events; the client refetches the matching queries. */
export const stateTopics = ["plan", "audit"] as const;
export type StateTopic = (typeof stateTopics)[number];

export const topicSchema = z.enum(stateTopics);
export type Topic = z.infer<typeof topicSchema>;

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
