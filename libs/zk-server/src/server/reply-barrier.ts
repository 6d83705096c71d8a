/**
 * The reply barrier (SERVER.md; ZooKeeper gets the same effect from its single
 * SyncRequestProcessor -> FinalRequestProcessor pipeline): whatever a request makes visible to
 * a client (its reply, the watch events it fires, a ConnectResponse) is released in the order
 * the requests were processed, and a write's output only once its txn is durable. Because the
 * tree is updated before the log sync, a read that arrives behind an unsynced write is queued
 * too: nobody observes state that a crash could still take back.
 *
 * Entries are released strictly in FIFO order; an entry waits for its own durability AND for
 * every entry before it. When the queue is empty a ready entry runs at once (no extra tick).
 */
export class ReplyBarrier {
  private readonly queue: Array<{ ready: boolean; release: () => void }> = [];
  private head = 0;
  private broken: unknown = undefined;
  private isBroken = false;

  constructor(private readonly onReleaseError: (err: unknown) => void = () => undefined) {}

  /** Queues output that depends on nothing new: it only waits for what is queued before it. */
  push(release: () => void): void {
    if (this.isBroken) return;
    if (this.head === this.queue.length) {
      this.run(release);
      return;
    }
    this.queue.push({ ready: true, release });
  }

  /** Queues output that must wait for `durable` (the append of its txn) as well. */
  pushAfter(durable: Promise<void>, release: () => void, onFailure: (err: unknown) => void): void {
    if (this.isBroken) return;
    const entry = { ready: false, release };
    this.queue.push(entry);
    durable.then(
      () => {
        entry.ready = true;
        this.drain();
      },
      (err: unknown) => {
        if (!this.isBroken) {
          this.isBroken = true;
          this.broken = err;
          this.queue.length = 0;
          this.head = 0;
          onFailure(err);
        }
      },
    );
  }

  /** Entries not yet released. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Why the barrier stopped releasing anything (a failed log append), if it did. */
  get failure(): unknown {
    return this.broken;
  }

  private drain(): void {
    while (this.head < this.queue.length && this.queue[this.head].ready) {
      const entry = this.queue[this.head++];
      this.run(entry.release);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private run(release: () => void): void {
    try {
      release();
    } catch (err) {
      this.onReleaseError(err);
    }
  }
}
