// Connects the websocket to the query cache while an operator is signed in, and exposes the link status.
import { stateTopics, type Topic } from "@k3s-ha/shared";
import { useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from "react";
import { createLiveSocket, type LiveSocket, type LiveStatus, liveSocketUrl } from "./live-socket";
import { initialLiveSyncState, reduceLiveMessage, type TopicQueryKeys } from "./live-sync";

const LiveSocketContext = createContext<LiveSocket | null>(null);

export function LiveSync({
  keys,
  children,
  onSessionEnded,
}: {
  keys: TopicQueryKeys;
  children: ReactNode;
  /** The server ended the session under the open page: go to sign-in. */
  onSessionEnded: () => void;
}) {
  const queryClient = useQueryClient();
  const syncState = useRef(initialLiveSyncState);
  const keysRef = useRef(keys);
  keysRef.current = keys;
  const endedRef = useRef(onSessionEnded);
  endedRef.current = onSessionEnded;

  const [socket] = useState(() =>
    createLiveSocket({
      url: liveSocketUrl(window.location),
      topics: stateTopics as readonly Topic[],
      onMessage: (message) => {
        const step = reduceLiveMessage(syncState.current, message, keysRef.current);
        syncState.current = step.state;
        for (const queryKey of step.invalidate) void queryClient.invalidateQueries({ queryKey });
      },
      onSessionEnded: () => endedRef.current(),
    }),
  );

  useEffect(() => {
    const retry = () => socket.retryNow();
    const onVisible = () => {
      if (document.visibilityState === "visible") retry();
    };
    socket.start();
    window.addEventListener("online", retry);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      window.removeEventListener("online", retry);
      document.removeEventListener("visibilitychange", onVisible);
      socket.stop();
    };
  }, [socket]);

  return <LiveSocketContext.Provider value={socket}>{children}</LiveSocketContext.Provider>;
}

/** The page's one websocket (null outside LiveSync, e.g. in tests of a single component). */
export function useLiveSocket(): LiveSocket | null {
  return useContext(LiveSocketContext);
}

const noSocket = () => () => {};

export function useLiveStatus(): LiveStatus {
  const socket = useContext(LiveSocketContext);
  return useSyncExternalStore(
    socket ? socket.onStatus : noSocket,
    () => socket?.status() ?? "stopped",
    () => "stopped",
  );
}

/** Keeps the socket subscribed to `topics` too (a plan's `node:<name>`s); topics are never dropped while open. */
export function useLiveTopics(topics: readonly Topic[]): void {
  const socket = useContext(LiveSocketContext);
  // A string, so a new array with the same topics is no change.
  const key = topics.join(" ");
  useEffect(() => {
    const list = key ? (key.split(" ") as Topic[]) : [];
    if (socket && list.length > 0) socket.addTopics(list);
  }, [socket, key]);
}
