import { AddWatchMode, EventType, NoWatcherError, WatcherType } from '@shepherd/zk-protocol';
import {
  TimerHandle,
  TransactionOp,
  Watcher,
  ZooKeeperClient,
  isConnected,
} from '@shepherd/zk-client';
import { ROOTS, locate, paths } from '../layout/paths';
import { FailedDependency, MAX_DEPENDENCY_LINKS, TaskRecord } from '../model/task-record';
import { FenceError, commitBatch } from '../store/batch-committer';
import { createIfMissing } from '../store/create-if-missing';
import { Transition } from '../transitions/transition';
import { FlowAction, decideFlow } from './flow-decision';
import { isFlowId } from './flow-id';
import { FLOW_LIMITS } from './flow-limits';
import { FlowMarker, FlowRecord, flowFinished } from './flow-record';
import { readFlow, readMarkers, recordOf } from './flow-reads';
import { readMany } from '../store/read-many';
import {
  cancelWaitingTransition,
  failWaitingTransition,
  flowCheck,
  promoteTransition,
} from './flow-transitions';
import { LeaderScope } from '../master/term-context';

/** What it needs from the leadership term it runs in. */
export type FlowRunnerTerm = LeaderScope;

/** Pause before a flow whose moves were refused (it changed meanwhile) is read again. */
const AGAIN_MS = 50;
/** Pause after an unexpected error before the runner goes on. */
const ERROR_BACKOFF_MS = 1000;
/** Passes of one flow refused in a row before it waits for its next event or scan. */
const MAX_AGAIN = 50;

/**
 * Releases the waiting tasks of flows, run by the leading master for one term (beside the
 * Scheduler). A persistent recursive watch on /flows brings each flow marker's creation (a
 * flow task ended) and each change of a flow record (a cancel); each queues its flow for a
 * pass (coalesced). Persistent watches do not replay what happened while disconnected, so at
 * takeover and after every reconnect every flow is looked at (a finished one, whose markers
 * are as many as its tasks, costs one read).
 *
 * A pass reads the flow record (and its version), its markers and its tasks still in /waiting,
 * asks decideFlow what to do, and commits each move as one item:
 *
 *   check <election node>; check /flows/<id> at the version read;
 *   delete /waiting/<b>/<task> at the version read; create /tasks/<b>/<task> (released) or
 *   create /status/<b>/<task> (cancelled, or failed) with create /flows/<id>/<key>
 *
 * so a release that races a flow cancel, a cancel of the task itself or another leader fails
 * and is decided again on fresh reads; a task is never released twice.
 */
export class FlowRunner {
  private readonly pending = new Set<string>();
  private readonly againCount = new Map<string, number>();
  private scanWanted = true;
  private watching = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private again = false;
  private timer: TimerHandle | undefined;
  /** What this runner did (per term). */
  readonly counts = { promoted: 0, cancelled: 0, failed: 0 };

  constructor(
    private readonly term: FlowRunnerTerm,
    private readonly onFenceError: (err: FenceError) => void,
  ) {}

  start(): void {
    this.kick();
  }

  /** The session is back: events of the gap are lost, so every flow is looked at again. */
  onReconnected(): void {
    this.scanWanted = true;
    this.kick();
  }

  /** Stops for good and removes the persistent watch (best effort). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimer();
    if (!this.watching) return;
    this.watching = false;
    const client = this.term.client;
    try {
      await client.removeWatches(
        ROOTS.flows,
        this.onEvent,
        WatcherType.Any,
        !isConnected(client.state),
      );
    } catch (err) {
      if (err instanceof NoWatcherError) return;
      await client
        .removeWatches(ROOTS.flows, this.onEvent, WatcherType.Any, true)
        .catch(() => undefined);
    }
  }

  /** Resolves when the pass in progress (if any) has finished. */
  async idle(): Promise<void> {
    await this.loop;
  }

  private readonly onEvent: Watcher = (e) => {
    if (this.stopped || !this.term.active || e.path === undefined) return;
    const where = locate(e.path);
    if (where?.area !== 'flows' || where.flowId === undefined || !isFlowId(where.flowId)) return;
    const wanted =
      where.key !== undefined
        ? e.type === EventType.NodeCreated
        : e.type === EventType.NodeDataChanged;
    if (!wanted) return;
    this.againCount.delete(where.flowId);
    this.pending.add(where.flowId);
    this.kick();
  };

  private kick(): void {
    if (this.stopped || !this.term.active) return;
    if (this.loop !== undefined) {
      this.again = true;
      return;
    }
    this.clearTimer();
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private later(ms: number): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = this.term.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.term.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    const { client, options } = this.term;
    const retry = new Set<string>();
    try {
      if (!this.watching) {
        await createIfMissing(client, ROOTS.flows, options.acl);
        await client.addWatch(ROOTS.flows, this.onEvent, AddWatchMode.PERSISTENT_RECURSIVE);
        this.watching = true;
        this.scanWanted = true;
      }
      while (!this.stopped && this.term.active) {
        if (this.scanWanted) {
          this.scanWanted = false;
          try {
            for (const id of await client.getChildren(ROOTS.flows))
              if (isFlowId(id)) this.pending.add(id);
          } catch (err) {
            this.scanWanted = true;
            throw err;
          }
        }
        const next = this.pending.values().next();
        if (next.done) break;
        const flowId = next.value;
        this.pending.delete(flowId);
        let settled: boolean;
        try {
          settled = await this.pass(flowId);
        } catch (err) {
          this.pending.add(flowId);
          throw err;
        }
        if (settled) {
          this.againCount.delete(flowId);
        } else {
          const n = (this.againCount.get(flowId) ?? 0) + 1;
          this.againCount.set(flowId, n);
          if (n < MAX_AGAIN) retry.add(flowId);
          else options.logger.warn({ flow: flowId }, 'flow moves keep failing; waiting for news');
        }
      }
      if (retry.size > 0) {
        for (const id of retry) this.pending.add(id);
        this.later(AGAIN_MS);
      }
    } catch (err) {
      for (const id of retry) this.pending.add(id);
      if (err instanceof FenceError) {
        this.stopped = true;
        this.onFenceError(err);
        return;
      }
      if (this.stopped || !this.term.active) return;
      options.logger.warn({ err: (err as Error).message }, 'flow pass failed; trying again');
      this.scanWanted = true;
      this.later(ERROR_BACKOFF_MS);
    }
  }

  /**
   * One pass over one flow. Resolves true when it is settled (nothing to do, or every move
   * committed), false when a move was refused because something changed: read it again.
   */
  async pass(flowId: string): Promise<boolean> {
    const { client, options, fence } = this.term;
    const stored = await readFlow(client, flowId);
    if (stored === null) return true;
    const { flow, stat } = stored;
    if (flowFinished(flow, stat.numChildren)) return true;
    const markers = await readMarkers(client, flowId);
    if (flowFinished(flow, markers.size)) return true;
    // Only the tasks something can be decided for, were they waiting, are read: in a large
    // flow each marker makes a pass, and most tasks are still blocked by unended dependencies.
    const open = Object.entries(flow.tasks)
      .filter(([key, t]) => !markers.has(key) && t.dependsOn.length > 0)
      .map(([key]) => key);
    const decidable = new Set(decideFlow(flow, markers, open).map((a) => a.key));
    const candidates = Object.entries(flow.tasks).filter(([key]) => decidable.has(key));
    if (candidates.length === 0) return true;
    const waitingPaths = candidates.map(([, t]) => paths.waiting(t.id));
    const results = await readMany(client, waitingPaths);
    const waiting = new Map<string, { record: TaskRecord; version: number }>();
    candidates.forEach(([key], i) => {
      const found = recordOf(results[i], waitingPaths[i]);
      if (found) waiting.set(key, found);
    });
    const actions = decideFlow(flow, markers, waiting.keys());
    if (actions.length === 0) return true;

    const inputs = new InputReader(client, flow, markers);
    const items: { ops: TransactionOp[]; value: { action: FlowAction; failed: boolean } }[] = [];
    for (const action of actions) {
      const { record, version } = waiting.get(action.key)!;
      const ctx = { acl: options.acl, now: options.clock.now() };
      let transition: Transition;
      if (action.kind === 'cancel') {
        transition = cancelWaitingTransition(ctx, record, version, action.reason);
      } else {
        const { dependencies, failedDependencies, links } = await inputs.of(action);
        const bytes =
          Buffer.byteLength(JSON.stringify(record.payload ?? null)) +
          Buffer.byteLength(JSON.stringify({ dependencies, failedDependencies }));
        transition =
          bytes > FLOW_LIMITS.maxInputBytes
            ? failWaitingTransition(ctx, record, version, {
                name: 'DependenciesTooLargeError',
                message:
                  `the payload and the results of the dependencies are ${bytes} bytes as JSON; ` +
                  `the limit is ${FLOW_LIMITS.maxInputBytes} bytes`,
              })
            : promoteTransition(ctx, record, version, dependencies, failedDependencies, links);
      }
      items.push({
        ops: [flowCheck(flowId, stat.version), ...transition.ops],
        value: { action, failed: transition.record.state === 'failed' },
      });
    }
    const outcome = await commitBatch(client, items, fence);
    for (const { action, failed } of outcome.committed) {
      if (action.kind === 'cancel') this.counts.cancelled++;
      else if (failed) this.counts.failed++;
      else this.counts.promoted++;
    }
    for (const { value, error } of outcome.rejected)
      options.logger.debug(
        { flow: flowId, key: value.action.key, err: error.message },
        'flow move refused: the flow or the task changed; reading it again',
      );
    options.logger.debug(
      { flow: flowId, moved: outcome.committed.length, refused: outcome.rejected.length },
      'flow pass',
    );
    return outcome.rejected.length === 0;
  }
}

/**
 * Reads what a released task receives: the results of its done dependencies from their
 * records in /status (a pruned record gives null), and the state and error of the others.
 * Each dependency is read once per pass.
 */
class InputReader {
  private readonly cache = new Map<string, Promise<TaskRecord | undefined>>();

  constructor(
    private readonly client: ZooKeeperClient,
    private readonly flow: FlowRecord,
    private readonly markers: ReadonlyMap<string, FlowMarker>,
  ) {}

  async of(action: Extract<FlowAction, { kind: 'promote' }>) {
    const dependencies: Record<string, unknown> = {};
    const failedDependencies: Record<string, FailedDependency> = {};
    // The dependencies' last attempts, for the released task's spans to link to.
    const links: string[] = [];
    const link = (record: TaskRecord | undefined): void => {
      const last = record?.trace?.lastAttempt;
      if (last !== undefined && links.length < MAX_DEPENDENCY_LINKS) links.push(last);
    };
    for (const key of action.done) {
      const record = await this.read(key);
      dependencies[key] = record?.result ?? null;
      link(record);
    }
    for (const key of action.failed) {
      const record = await this.read(key);
      const failed: FailedDependency = { state: this.markers.get(key)!.state };
      if (record?.error !== undefined) failed.error = record.error;
      failedDependencies[key] = failed;
      link(record);
    }
    return { dependencies, failedDependencies, links };
  }

  private read(key: string): Promise<TaskRecord | undefined> {
    let found = this.cache.get(key);
    if (found === undefined) {
      const marker = this.markers.get(key)!;
      const id = this.flow.tasks[key]?.id ?? marker.taskId;
      const path = marker.state === 'dead' ? paths.dead(id) : paths.status(id);
      found = readMany(this.client, [path]).then(([r]) => recordOf(r, path)?.record);
      this.cache.set(key, found);
    }
    return found;
  }
}
