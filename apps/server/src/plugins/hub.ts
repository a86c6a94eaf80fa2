// The state hub: topic subscriptions and change events with a sequence number per topic.
import type { Topic } from "@k3s-ha/shared";
import fp from "fastify-plugin";

export interface ChangeEvent {
  topic: Topic;
  seq: number;
  at: string;
}

type Listener = (event: ChangeEvent) => void;

export class Hub {
  private readonly listeners = new Map<Topic, Set<Listener>>();
  private readonly seqs = new Map<Topic, number>();

  subscribe(topic: Topic, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Announce that `topic` changed; every subscriber gets the next sequence number. */
  publish(topic: Topic): ChangeEvent {
    const event = { topic, seq: (this.seqs.get(topic) ?? 0) + 1, at: new Date().toISOString() };
    this.seqs.set(topic, event.seq);
    for (const listener of this.listeners.get(topic) ?? []) listener(event);
    return event;
  }

  subscriberCount(topic: Topic): number {
    return this.listeners.get(topic)?.size ?? 0;
  }
}

declare module "fastify" {
  interface FastifyInstance {
    hub: Hub;
  }
}

export default fp(
  async (app) => {
    app.decorate("hub", new Hub());
  },
  { name: "hub" },
);
