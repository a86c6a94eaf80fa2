// A websocket inbox for tests: collects server messages and waits (bounded) for one that matches.
import type { WebSocket } from "@fastify/websocket";
import type { ServerMessage } from "@k3s-ha/shared";

/** Collects server messages and lets a test wait for one that matches, with a bounded wait. */
export function collector(ws: WebSocket) {
  const messages: ServerMessage[] = [];
  ws.on("message", (data: Buffer) => messages.push(JSON.parse(data.toString())));
  return {
    messages,
    async waitFor(pred: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = messages.find(pred);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
    },
  };
}
