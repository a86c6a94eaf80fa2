// The one websocket to /api/ws: subscribes to topics, reconnects with bounded jittered backoff, notices dead links.
import { type ClientMessage, type ServerMessage, serverMessageSchema, type Topic } from "@k3s-ha/shared";
import { backoffDelay } from "./backoff";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "stopped";

export interface LiveSocketOptions {
  url: string;
  topics: readonly Topic[];
  onMessage: (message: ServerMessage) => void;
  /** Seconds between pings; the link counts as dead after two intervals without any message. */
  pingSeconds?: number;
  random?: () => number;
  createSocket?: (url: string) => WebSocket;
  /** The server closed the socket because the session ended (code 4401): sign in again, do not reconnect. */
  onSessionEnded?: () => void;
}

/** The close code the server sends when the socket's session ends (sign-out, expiry, password change). */
export const SESSION_ENDED_CODE = 4401;

export interface LiveSocket {
  start(): void;
  stop(): void;
  status(): LiveStatus;
  /** Retry now instead of waiting out the backoff (the browser came back online, the tab became visible). */
  retryNow(): void;
  onStatus(listener: () => void): () => void;
  /** Subscribes to more topics (a plan's `node:<name>`s): now if connected, and again after every reconnect. */
  addTopics(topics: readonly Topic[]): void;
  /**
   * Follows a failover run: its samples and events as data. After a reconnect the socket asks for what came after
   * the last sequence numbers it delivered (`since`), so the listener sees no gap and no duplicate.
   */
  followRun(runId: string, listener: (message: RunStreamMessage) => void): () => void;
}

export type RunStreamMessage = Extract<ServerMessage, { type: "run-samples" | "run-events" | "run-state" }>;

export function liveSocketUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/ws`;
}

export function createLiveSocket(options: LiveSocketOptions): LiveSocket {
  const random = options.random ?? Math.random;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const pingMs = (options.pingSeconds ?? 25) * 1000;
  const listeners = new Set<() => void>();
  const topics = new Set<Topic>(options.topics);
  const follows = new Map<
    string,
    { since: number; eventsSince: number; listeners: Set<(m: RunStreamMessage) => void> }
  >();

  let status: LiveStatus = "stopped";
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let lastMessageAt = 0;

  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    for (const listener of listeners) listener();
  };

  const send = (message: ClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  const clearTimers = () => {
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    retryTimer = undefined;
    pingTimer = undefined;
  };

  const scheduleRetry = () => {
    clearTimers();
    setStatus("reconnecting");
    retryTimer = setTimeout(connect, backoffDelay(attempt, random()));
    attempt += 1;
  };

  /** Drops a socket for good; one still connecting is closed once open (closing it earlier makes the browser log an error). */
  const discard = (ws: WebSocket | null) => {
    if (!ws) return;
    if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000, "replaced");
    else ws.close(1000, "stopped");
  };

  const heartbeat = () => {
    if (Date.now() - lastMessageAt > 2 * pingMs) {
      socket?.close(4000, "no answer to ping");
      return;
    }
    send({ type: "ping" });
  };

  function connect() {
    clearTimers();
    discard(socket);
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      lastMessageAt = Date.now();
      setStatus("live");
      // The server takes at most 32 topics per message.
      const all = [...topics];
      for (let i = 0; i < all.length; i += 32) send({ type: "subscribe", topics: all.slice(i, i + 32) });
      for (const [runId, f] of follows)
        send({ type: "follow-run", runId, since: f.since, eventsSince: f.eventsSince });
      pingTimer = setInterval(heartbeat, pingMs);
    };
    ws.onmessage = (event) => {
      if (socket !== ws || typeof event.data !== "string") return;
      lastMessageAt = Date.now();
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      const parsed = serverMessageSchema.safeParse(data);
      if (!parsed.success) return;
      // Only a confirmed subscription proves the link works; until then keep backing off.
      if (parsed.data.type === "subscribed") attempt = 0;
      const m = parsed.data;
      if (m.type === "run-samples" || m.type === "run-events" || m.type === "run-state") {
        const f = follows.get(m.runId);
        if (!f) return;
        if (m.type === "run-samples") f.since = Math.max(f.since, m.samples.at(-1)?.seq ?? 0);
        if (m.type === "run-events") f.eventsSince = Math.max(f.eventsSince, m.events.at(-1)?.seq ?? 0);
        for (const listener of f.listeners) listener(m);
        return;
      }
      options.onMessage(m);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (event?.code === SESSION_ENDED_CODE) {
        clearTimers();
        setStatus("stopped");
        options.onSessionEnded?.();
        return;
      }
      if (status !== "stopped") scheduleRetry();
    };
  }

  return {
    start() {
      if (status !== "stopped") return;
      attempt = 0;
      setStatus("connecting");
      connect();
    },
    stop() {
      setStatus("stopped");
      clearTimers();
      const ws = socket;
      socket = null;
      discard(ws);
    },
    status: () => status,
    retryNow() {
      if (status === "reconnecting") connect();
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    followRun(runId, listener) {
      let f = follows.get(runId);
      if (!f) {
        f = { since: 0, eventsSince: 0, listeners: new Set() };
        follows.set(runId, f);
        send({ type: "follow-run", runId, since: 0, eventsSince: 0 });
      }
      const entry = f;
      entry.listeners.add(listener);
      return () => {
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0) {
          follows.delete(runId);
          send({ type: "unfollow-run", runId });
        }
      };
    },
    addTopics(more) {
      const fresh = more.filter((t) => !topics.has(t));
      for (const t of fresh) topics.add(t);
      for (let i = 0; i < fresh.length; i += 32) send({ type: "subscribe", topics: fresh.slice(i, i + 32) });
    },
  };
}
