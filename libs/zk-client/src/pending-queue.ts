/**
 * FIFO of requests written to the server and awaiting replies. ZooKeeper answers a session's
 * requests strictly in order (ClientCnxn.readResponse: "we better get a response to the first
 * request"), so matching is a peek at the head, never a lookup.
 *
 * An array with a moving head avoids Array#shift's O(n) copy under deep pipelines; the array
 * is compacted once the dead prefix dominates.
 */
export class PendingQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Remove and return everything, oldest first (connection loss fails them all). */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}
