// Live sync: which cached queries a websocket event makes stale. Pure; the socket hook applies the answer.
import { type ServerMessage, type Topic, type TopicFamily, topicFamily } from "@k3s-ha/shared";
import type { QueryKey } from "@tanstack/react-query";

/** The query keys (prefixes) that hold each topic family's state, taken from the features' query factories. */
export type TopicQueryKeys = Readonly<Record<TopicFamily, readonly QueryKey[]>>;

export interface LiveSyncState {
  /** Highest `seq` seen per topic on the current connection. */
  readonly seen: Readonly<Partial<Record<Topic, number>>>;
  /** True once a subscription was confirmed: the next confirmation follows a reconnect. */
  readonly subscribedBefore: boolean;
}

export const initialLiveSyncState: LiveSyncState = { seen: {}, subscribedBefore: false };

export interface LiveSyncStep {
  /** The same object as the input state when the message changed nothing. */
  state: LiveSyncState;
  invalidate: readonly QueryKey[];
}

const nothing: readonly QueryKey[] = [];

function keysOf(topics: readonly Topic[], keys: TopicQueryKeys): QueryKey[] {
  return [...new Set(topics.map(topicFamily))].flatMap((family) => keys[family]);
}

export function reduceLiveMessage(
  state: LiveSyncState,
  message: ServerMessage,
  keys: TopicQueryKeys,
): LiveSyncStep {
  switch (message.type) {
    case "hello":
      // A new connection: the server may have restarted and counts `seq` from zero again.
      return {
        state: Object.keys(state.seen).length === 0 ? state : { ...state, seen: {} },
        invalidate: nothing,
      };
    case "subscribed":
      // After a reconnect every live query may have missed events while the socket was down.
      if (state.subscribedBefore) return { state, invalidate: keysOf(message.topics, keys) };
      return { state: { ...state, subscribedBefore: true }, invalidate: nothing };
    case "changed": {
      const last = state.seen[message.topic];
      if (last !== undefined && message.seq <= last) return { state, invalidate: nothing };
      return {
        state: { ...state, seen: { ...state.seen, [message.topic]: message.seq } },
        invalidate: keys[topicFamily(message.topic)],
      };
    }
    default:
      return { state, invalidate: nothing };
  }
}
