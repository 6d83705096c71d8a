/** Tasks remembered at most; past it, the oldest are forgotten (their arrival is read instead). */
export const MAX_OWN_SUBMISSIONS = 100_000;

interface Noted {
  type: string;
  seq: number;
  /** Scopes (bits) that used it already. */
  used: number;
}

/**
 * The tasks this client submitted while an event stream of it was watching, so the stream can
 * tell their arrival in /tasks without reading the record back: a just-submitted task's first
 * arrival is always its submission (task.queued, with the type the client knows). Saves one
 * read per task submitted by an app that also streams events (the client app does both).
 *
 * Each stream keeps a sequence number `from`, taken just before it sends its addWatch and again
 * at every disconnect and reconnect; a task noted at or after it was created by a request sent
 * after that addWatch on a connection that stayed up, so the watch saw the create (ZooKeeper
 * processes a connection's requests in order, and a persistent watch sees every change after
 * it is set until the connection drops). An older note is not used: that task is read, as
 * every task submitted by another client is. A note is used once per stream: any later
 * arrival of the task (reassigned, retried) is read.
 */
export class OwnSubmissions {
  private readonly noted = new Map<string, Noted>();
  private seq = 0;
  /** Bits of the streams subscribed now: nothing is noted while there are none. */
  private active = 0;

  /** The next sequence number: a stream's `from` (see the class comment). */
  next(): number {
    return this.seq + 1;
  }

  /** A stream of scope bit `bit` starts (true) or stops (false). */
  setActive(bit: number, on: boolean): void {
    this.active = on ? this.active | bit : this.active & ~bit;
    if (this.active === 0) this.noted.clear();
  }

  /** Called with each new task just before the request that creates it is sent. */
  note(id: string, type: string): void {
    if (this.active === 0) return;
    this.noted.set(id, { type, seq: ++this.seq, used: 0 });
    if (this.noted.size > MAX_OWN_SUBMISSIONS) {
      this.noted.delete(this.noted.keys().next().value as string);
    }
  }

  /**
   * The type of task `id` if its arrival now seen by stream `bit` (whose `from` is given) is
   * its submission; undefined when the record must be read.
   */
  claim(id: string, bit: number, from: number): string | undefined {
    const n = this.noted.get(id);
    if (n === undefined || n.seq < from || (n.used & bit) !== 0) return undefined;
    n.used |= bit;
    if ((n.used & this.active) === this.active) this.noted.delete(id);
    return n.type;
  }
}
