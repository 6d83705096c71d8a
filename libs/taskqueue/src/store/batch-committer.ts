import { ErrorCode, KeeperError } from '@shepherd/zk-protocol';
import { TransactionError, TransactionOp, ZooKeeperClient } from '@shepherd/zk-client';
import { LIMITS } from '../model/limits';

/** One unit of a batch: ops that must commit together, and what the caller wants back. */
export interface BatchItem<T> {
  ops: TransactionOp[];
  value: T;
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
  const data = op.type === 'create' || op.type === 'setData' ? op.data.length : 0;
  return 64 + Buffer.byteLength(op.path) + data;
}

/** Splits items into multis that respect LIMITS.maxMultiOps and LIMITS.maxMultiBytes. */
export function chunkItems<T>(items: readonly BatchItem<T>[], fence: readonly TransactionOp[]) {
  const fenceBytes = fence.reduce((n, op) => n + opBytes(op), 0);
  const chunks: BatchItem<T>[][] = [];
  let current: BatchItem<T>[] = [];
  let ops = fence.length;
  let bytes = fenceBytes;
  for (const item of items) {
    const b = item.ops.reduce((n, op) => n + opBytes(op), 0);
    if (
      current.length > 0 &&
      (ops + item.ops.length > LIMITS.maxMultiOps || bytes + b > LIMITS.maxMultiBytes)
    ) {
      chunks.push(current);
      current = [];
      ops = fence.length;
      bytes = fenceBytes;
    }
    current.push(item);
    ops += item.ops.length;
    bytes += b;
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
      const ops = [...fence, ...pending.flatMap((i) => i.ops)];
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
        let offset = fence.length;
        const index = pending.findIndex((i) => (offset += i.ops.length) > at);
        outcome.rejected.push({ value: pending[index].value, error });
        pending = pending.filter((_, i) => i !== index);
      }
    }
  }
  return outcome;
}
