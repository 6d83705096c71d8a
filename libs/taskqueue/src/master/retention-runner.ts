import { BUCKETS, BUCKET_COUNT } from '../layout/buckets';
import { ROOTS, paths } from '../layout/paths';
import { compareSubmitOrder } from '../model/task-id';
import { CorruptTaskRecordError } from '../model/task-record';
import { decodeRecord } from '../model/record-codec';
import { BatchItem, FenceError, commitBatch } from '../store/batch-committer';
import { pruneTransition } from '../transitions/operator';
import { deleteOp } from '../transitions/transition';
import { prunePredicate, pruneCutoff, taskIdTime } from './retention-policy';
import { TermContext } from './term-context';
import { TermLoop } from './term-loop';
import { childrenOrNull, dataOrNull, pipelined } from './zk-reads';

/** Buckets listed at once: a /status bucket holds ~3,900 names (~100 KB) at a million records. */
const LIST_WIDTH = 8;
/** Records read and pruned per batch. */
const PRUNE_CHUNK = 256;
const READ_WIDTH = 64;
/** Progress is logged every this many pruned records. */
const PROGRESS_EVERY = 10_000;

/**
 * Retention of /status, run by the leader every intervalMs: records older than maxAgeMs go, and
 * when more than maxCount remain, the oldest beyond it. The age is the id's submit time, so the
 * first pass lists names only (bucket by bucket, keeping numbers, not strings: a million
 * records cost 8 MB); the second pass re-lists just the buckets holding something to prune,
 * reads those records (their idempotency keys go with them) and deletes them with
 * pruneTransition in leader-fenced batches.
 */
export class RetentionRunner {
  private readonly loop: TermLoop;

  constructor(
    private readonly term: TermContext,
    onFenceError: (err: FenceError) => void,
  ) {
    const interval = (): number => term.options.retention.intervalMs;
    this.loop = new TermLoop(term, {
      name: 'retention',
      pass: () => this.runOnce().then(interval),
      afterErrorMs: interval,
      onFenceError,
    });
  }

  start(): void {
    this.loop.start(this.term.options.retention.intervalMs);
  }

  stop(): void {
    this.loop.stop();
  }

  /** Resolves when a pass in progress has finished. */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  /** One pass; resolves with the number of records pruned. */
  async runOnce(): Promise<number> {
    const { client, options } = this.term;
    const started = options.clock.now();
    const count = (await client.getAllChildrenNumber(ROOTS.status)) - BUCKET_COUNT;
    if (count <= 0 || !this.term.active) return 0;

    // Pass 1: the id times of every record, and the oldest per bucket.
    let times: Float64Array = new Float64Array(Math.max(1024, count));
    let n = 0;
    const oldest = new Map<string, number>();
    await pipelined(BUCKETS, LIST_WIDTH, async (bucket) => {
      const names = (await childrenOrNull(client, paths.statusBucket(bucket))) ?? [];
      let min = Infinity;
      for (const name of names) {
        const t = taskIdTime(name);
        if (Number.isNaN(t)) continue;
        if (n === times.length) times = grow(times);
        times[n++] = t;
        if (t < min) min = t;
      }
      oldest.set(bucket, min);
    });
    const cutoff = pruneCutoff(times.subarray(0, n), options.clock.now(), options.retention);
    if (cutoff.total === 0 || !this.term.active) return 0;
    options.logger.info(
      { records: n, toPrune: cutoff.total, maxCount: options.retention.maxCount },
      'retention: pruning /status',
    );

    // Pass 2: the buckets that hold something to prune.
    const selected = prunePredicate(cutoff);
    const limit = Number.isNaN(cutoff.tiesAt) ? cutoff.before : cutoff.tiesAt + 1;
    let pruned = 0;
    let reported = 0;
    for (const bucket of BUCKETS) {
      if (!this.term.active) break;
      if ((oldest.get(bucket) ?? Infinity) >= limit) continue;
      const names = (await childrenOrNull(client, paths.statusBucket(bucket))) ?? [];
      // Oldest first: ties at the cutoff go by submit time, not by priority (the ids' order).
      const ids = names.sort(compareSubmitOrder).filter(selected);
      for (let i = 0; i < ids.length && this.term.active; i += PRUNE_CHUNK) {
        pruned += await this.prune(ids.slice(i, i + PRUNE_CHUNK));
        if (pruned - reported >= PROGRESS_EVERY) {
          reported = pruned;
          options.logger.info({ pruned, of: cutoff.total }, 'retention: progress');
        }
      }
    }
    options.logger.info({ pruned, ms: options.clock.now() - started }, 'retention: /status pruned');
    return pruned;
  }

  /** Reads the records (for their keys and versions) and deletes them in fenced batches. */
  private async prune(ids: readonly string[]): Promise<number> {
    const { client, counters, options } = this.term;
    const items: BatchItem<string>[] = [];
    await pipelined(ids, READ_WIDTH, async (id) => {
      const path = paths.status(id);
      const node = await dataOrNull(client, path);
      if (node === null) return; // redriven meanwhile
      try {
        const t = pruneTransition(decodeRecord(node.data, path), node.stat.version);
        items.push({ ops: t.ops, value: id });
      } catch (err) {
        if (!(err instanceof CorruptTaskRecordError)) throw err;
        // No key can be learned from it; the record alone goes.
        items.push({ ops: [deleteOp(path, node.stat.version)], value: id });
      }
    });
    const outcome = await commitBatch(client, items, this.term.fence);
    let pruned = outcome.committed.length;
    // A key already gone (removed by hand) must not keep its record forever: delete it alone.
    const retry = outcome.rejected
      .filter(({ value, error }) => error.path !== paths.status(value))
      .map(({ value }) => items.find((i) => i.value === value))
      .filter((i): i is BatchItem<string> => i !== undefined)
      .map((i) => ({ ops: [i.ops[0]], value: i.value }));
    if (retry.length > 0)
      pruned += (await commitBatch(client, retry, this.term.fence)).committed.length;
    counters.pruned += pruned;
    if (outcome.rejected.length > retry.length)
      options.logger.debug(
        { refused: outcome.rejected.length - retry.length },
        'retention: records changed meanwhile',
      );
    return pruned;
  }
}

function grow(times: Float64Array): Float64Array {
  const bigger = new Float64Array(times.length * 2);
  bigger.set(times);
  return bigger;
}
