// Open websockets per session: closed with code 4401 when their session ends (sign-out, expiry, password change).
import type { WebSocket } from "@fastify/websocket";

/** The close code the web client turns into a redirect to sign-in instead of a reconnect. */
export const SESSION_CLOSED_CODE = 4401;

interface Entry {
  user: string;
  sockets: Set<WebSocket>;
  timer: NodeJS.Timeout;
}

export class SessionSockets {
  private readonly sessions = new Map<string, Entry>();

  add(sessionHash: string, user: string, expiresAt: string, socket: WebSocket): void {
    let entry = this.sessions.get(sessionHash);
    if (!entry) {
      const ms = Math.max(0, Math.min(2 ** 31 - 1, Date.parse(expiresAt) - Date.now()));
      const timer = setTimeout(() => this.endSession(sessionHash, "session expired"), ms);
      timer.unref();
      entry = { user, sockets: new Set(), timer };
      this.sessions.set(sessionHash, entry);
    }
    entry.sockets.add(socket);
    socket.once("close", () => {
      const e = this.sessions.get(sessionHash);
      if (!e) return;
      e.sockets.delete(socket);
      if (e.sockets.size === 0) {
        clearTimeout(e.timer);
        this.sessions.delete(sessionHash);
      }
    });
  }

  /** Closes every socket of one session; returns how many. */
  endSession(sessionHash: string, reason: string): number {
    const entry = this.sessions.get(sessionHash);
    if (!entry) return 0;
    this.sessions.delete(sessionHash);
    clearTimeout(entry.timer);
    for (const socket of entry.sockets) socket.close(SESSION_CLOSED_CODE, reason);
    return entry.sockets.size;
  }

  endUser(user: string, reason: string): number {
    let closed = 0;
    for (const [hash, entry] of [...this.sessions])
      if (entry.user === user) closed += this.endSession(hash, reason);
    return closed;
  }

  count(): number {
    let n = 0;
    for (const entry of this.sessions.values()) n += entry.sockets.size;
    return n;
  }

  closeAll(): void {
    for (const [hash, entry] of [...this.sessions]) {
      this.sessions.delete(hash);
      clearTimeout(entry.timer);
      for (const socket of entry.sockets) socket.close(1001, "server shutting down");
    }
  }
}
