// The cluster's one operation lock: a failover run and a guided-setup apply never overlap, and a second request is
// refused with 409 OPERATION_IN_PROGRESS naming who holds it, what they are doing and since when.
import { AppError } from "../errors.js";

export interface LockHolder {
  /** `failover-run` or `setup-apply`. */
  kind: string;
  id: string;
  user: string;
  /** What is being done, for the other session's message ("stop-k3s on node02"). */
  what: string;
  since: string;
}

export class OperationLock {
  private holder: LockHolder | undefined;

  current(): LockHolder | undefined {
    return this.holder;
  }

  /** A sentence naming the holder, for preflight reasons and 409s. */
  describe(h = this.holder): string | undefined {
    return h ? `${h.user}'s ${h.kind} ${h.id} (${h.what}, since ${h.since})` : undefined;
  }

  /** Takes the lock or throws 409; the returned function releases it (once, and only this holder's). */
  acquire(holder: Omit<LockHolder, "since">): () => void {
    if (this.holder)
      throw new AppError("OPERATION_IN_PROGRESS", `Another operation is in progress: ${this.describe()}`, {
        holder: this.holder,
      });
    const mine: LockHolder = { ...holder, since: new Date().toISOString() };
    this.holder = mine;
    return () => {
      if (this.holder === mine) this.holder = undefined;
    };
  }
}
