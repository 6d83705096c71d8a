import { ErrorCode, KeeperError } from '@shepherd/zk-protocol';
import { TransactionError, TransactionOp, ZooKeeperClient } from '@shepherd/zk-client';
import { LIMITS } from '../model/limits';

/** One unit of a batch: ops that must commit together, and what the caller wants back. */
export interface BatchItem<T> {
  ops: TransactionOp[];
  value: T;
  /**
   * A check the item needs (e.g. its worker is still registered) that other items of the batch
   * may need too: a multi carries each distinct guard once, ahead of the first item naming it,
   * instead of once per item. When a guard fails, every item naming it is rejected with that
   * error (each would have failed on it).
   */
  guard?: TransactionOp;
}

export interface BatchOutcome<T> {
  committed: T[];
  /** Items whose own op failed (e.g. NodeExists, NoNode, BadVersion); the rest were retried. */
  rejected: { value: T; error: KeeperError }[];
}

/** A fence op failed: the caller is no longer entitled to act (deposed master, dead worker). */
export class FenceError extends Error {
  constructor(override readonly cause: KeeperError) {
    super(`fence failed: ${cause.message}`);
    this.name = 'FenceError';
  }
}

/** Encoded size estimate of an op: header, path, data, ACL. Generous on purpose. */
function opBytes(op: TransactionOp): number {
  const data = op.type === 'create' || op.type === 'setData' ? (op.data?.length ?? 0) : 0;
  return 64 + Buffer.byteLength(op.path) + data;
}

/** Splits items into multis that respect LIMITS.maxMultiOps and LIMITS.maxMultiBytes. */
export function chunkItems<T>(items: readonly BatchItem<T>[], fence: readonly TransactionOp[]) {
  const fenceBytes = fence.reduce((n, op) => n + opBytes(op), 0);
  const chunks: BatchItem<T>[][] = [];
  let current: BatchItem<T>[] = [];
  let ops = fence.length;
  let bytes = fenceBytes;
  let guards = new Set<string>();
  for (const item of items) {
    const guardNew = item.guard !== undefined && !guards.has(item.guard.path);
    const guardOps = guardNew ? 1 : 0;
    const guardBytes = guardNew ? opBytes(item.guard as TransactionOp) : 0;
    const b = item.ops.reduce((n, op) => n + opBytes(op), 0);
    if (
      current.length > 0 &&
      (ops + item.ops.length + guardOps > LIMITS.maxMultiOps ||
        bytes + b + guardBytes > LIMITS.maxMultiBytes)
    ) {
      chunks.push(current);
      current = [];
      ops = fence.length;
      bytes = fenceBytes;
      guards = new Set();
    }
    current.push(item);
    ops += item.ops.length;
    bytes += b;
    if (item.guard !== undefined && !guards.has(item.guard.path)) {
      // New to this chunk (always so right after a split): its check goes in once.
      guards.add(item.guard.path);
      ops += 1;
      bytes += opBytes(item.guard);
    }
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Index of the op that made a failed multi fail (not Ok, not rolled back). */
function culprit(err: TransactionError): number {
  return err.results.findIndex(
    (r) =>
      r.type === 'error' &&
      r.error.code !== ErrorCode.Ok &&
      r.error.code !== ErrorCode.RuntimeInconsistency,
  );
}

/**
 * Commits many independent items, each atomically, with as few multis as the size limits allow,
 * each multi led by `fence`. When a multi fails because of one item, that item is rejected with
 * its error and the others are committed again without it: one cancelled task does not hold
 * back a batch of assignments. A failed fence throws FenceError; ConnectionLoss and other
 * errors propagate (the caller must find out what happened before retrying: an item may or may
 * not have committed).
 */
export async function commitBatch<T>(
  client: ZooKeeperClient,
  items: readonly BatchItem<T>[],
  fence: readonly TransactionOp[] = [],
): Promise<BatchOutcome<T>> {
  const outcome: BatchOutcome<T> = { committed: [], rejected: [] };
  for (const chunk of chunkItems(items, fence)) {
    let pending = chunk;
    while (pending.length > 0) {
      const { ops, owners } = multiOps(fence, pending);
      try {
        await client.multi(ops);
        outcome.committed.push(...pending.map((i) => i.value));
        break;
      } catch (err) {
        if (!(err instanceof TransactionError)) throw err;
        const at = culprit(err);
        const failure = err.results[at];
        const error = failure?.type === 'error' ? failure.error : err;
        if (at < 0) throw err;
        if (at < fence.length) throw new FenceError(error);
        const owner = owners[at];
        // A failed guard fails every item that needs it; an item's own op fails that item.
        const out =
          owner.guard !== undefined && ops[at] === owner.guard
            ? (i: BatchItem<T>) => i.guard?.path === owner.guard?.path
            : (i: BatchItem<T>) => i === owner;
        for (const i of pending) if (out(i)) outcome.rejected.push({ value: i.value, error });
        pending = pending.filter((i) => !out(i));
      }
    }
  }
  return outcome;
}

/** The ops of one multi (fence, then each item with its guard the first time it is named) and,
 * per op after the fence, the item it belongs to. */
function multiOps<T>(fence: readonly TransactionOp[], items: readonly BatchItem<T>[]) {
  const ops: TransactionOp[] = [...fence];
  const owners: BatchItem<T>[] = new Array<BatchItem<T>>(fence.length);
  const guarded = new Set<string>();
  for (const item of items) {
    if (item.guard !== undefined && !guarded.has(item.guard.path)) {
      guarded.add(item.guard.path);
      ops.push(item.guard);
      owners.push(item);
    }
    for (const op of item.ops) {
      ops.push(op);
      owners.push(item);
    }
  }
  return { ops, owners };
}
