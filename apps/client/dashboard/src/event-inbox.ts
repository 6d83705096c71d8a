import type { ClusterEvent, ClusterEventType } from './wire.js';

interface Raw {
  type: ClusterEventType;
  data: string;
}

/**
 * Server-sent events as they arrive, parsed and applied later in slices of the frame budget.
 * The browser delivers a burst of events in one task; doing no more than queueing them there
 * keeps that task short, and `drain` bounds the work per frame however fast they come. If the
 * page falls `limit` events behind, they are thrown away and the caller re-reads the state
 * instead (cheaper than catching up, and the same as after a dropped connection).
 */
export class EventInbox {
  private items: Raw[] = [];
  private head = 0;

  constructor(readonly limit = 100_000) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Queues one event; false when the inbox overflowed and was emptied. */
  push(type: ClusterEventType, data: string): boolean {
    if (this.size >= this.limit) {
      this.items = [];
      this.head = 0;
      return false;
    }
    this.items.push({ type, data });
    return true;
  }

  /**
   * Applies queued events, oldest first, until `budgetMs` is spent; returns how many are left.
   * Unreadable data is skipped.
   */
  drain(
    budgetMs: number,
    apply: (e: ClusterEvent) => void,
    clock: () => number = () => performance.now(),
  ): number {
    const deadline = clock() + budgetMs;
    let n = 0;
    while (this.head < this.items.length) {
      const raw = this.items[this.head++];
      const event = parse(raw);
      if (event) apply(event);
      // Reading the clock costs too: every 32 events is often enough.
      if (++n % 32 === 0 && clock() >= deadline) break;
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return this.size;
  }
}

function parse(raw: Raw): ClusterEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(raw.data);
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object') return undefined;
  const event = data as ClusterEvent;
  event.type = raw.type; // the SSE event name is the type
  return event;
}
