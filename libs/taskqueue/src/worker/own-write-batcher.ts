import { ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { commitBatch } from '../store/batch-committer';
import { AssignmentRef, readBackSet, versionedSet } from './read-back';

/**
 * Lets a caller take back a write it no longer needs, as long as it has not been sent: a
 * handler that finished in the same turn of the event loop as its start write was queued
 * has its start folded into its outcome instead.
 */
export interface WriteTicket {
  /** Set by the batcher when the write leaves. */
  sent: boolean;
  /** Set by the caller before it leaves: the write is dropped (its promise answers null). */
  withdrawn: boolean;
}

/** The bytes to write, or how to make them once the write leaves (never, if it is withdrawn). */
export type WriteData = Buffer | (() => Buffer);

interface Pending {
  ref: AssignmentRef;
  data: WriteData;
  ticket?: WriteTicket;
  resolve(version: number | null): void;
  reject(err: unknown): void;
}

/**
 * The worker's versioned writes to its own assignments (start, progress) issued in the same
 * turn of the event loop go out as one multi of setData ops instead of one request each: a
 * batch of tasks picked up together costs the server one transaction and one log write.
 * Each op is versioned, so each is its own fence; commitBatch sets a refused one aside
 * (BadVersion / NoNode: the assignment is no longer ours) and commits the rest.
 *
 * Same contract as versionedSet: the new version, or null when the assignment is gone or
 * changed. After a ConnectionLoss each write is read back before it is sent again.
 */
export class OwnWriteBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly client: ZooKeeperClient) {}

  set(ref: AssignmentRef, data: WriteData, ticket?: WriteTicket): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ref, data, ticket, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch: Pending[] = [];
    for (const p of this.queue) {
      if (p.ticket?.withdrawn) p.resolve(null);
      else {
        if (p.ticket) p.ticket.sent = true;
        if (typeof p.data === 'function') p.data = p.data();
        batch.push(p);
      }
    }
    this.queue = [];
    this.scheduled = false;
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const [p] = batch;
      versionedSet(this.client, p.ref, p.data as Buffer).then(p.resolve, p.reject);
      return;
    }
    try {
      const outcome = await commitBatch(
        this.client,
        batch.map((p) => ({
          ops: [
            {
              type: 'setData' as const,
              path: p.ref.path,
              data: p.data as Buffer,
              version: p.ref.version,
            },
          ],
          value: p,
        })),
      );
      // A versioned setData that succeeded left exactly the next version.
      for (const p of outcome.committed) p.resolve(p.ref.version + 1);
      for (const { value: p } of outcome.rejected) p.resolve(null);
    } catch (err) {
      for (const p of batch) {
        if (isRetryable(err)) void this.settleUnknown(p);
        else p.reject(err);
      }
    }
  }

  /** The multi's reply was lost: did this write land? If not, send it again on its own. */
  private async settleUnknown(p: Pending): Promise<void> {
    try {
      const data = p.data as Buffer;
      const seen = await readBackSet(this.client, p.ref, data);
      p.resolve(seen === 'not-applied' ? await versionedSet(this.client, p.ref, data) : seen);
    } catch (err) {
      p.reject(err);
    }
  }
}
