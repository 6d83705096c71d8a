import { Subscription } from 'rxjs';
import { EventType, SessionExpiredError, WatcherType } from '@shepherd/zk-protocol';
import { TimerHandle, WatchedEvent, ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { InvalidTaskError, TaskNotFoundError, TaskQueueError, WaitTimeoutError } from '../errors';
import { paths } from '../layout/paths';
import { isTaskId } from '../model/task-id';
import { readTask } from '../store/task-reader';
import { ClientContext } from './client-options';
import { readRecord } from './list-tasks';
import { TaskView, toTaskView, viewOfStored } from './task-view';

/** Longest wait a timer can express (setTimeout fires at once above 2^31 - 1 ms). */
export const MAX_WAIT_MS = 2 ** 31 - 1;
/** Pause before looking again after a ConnectionLoss (the client is reconnecting). */
const LOSS_PAUSE_MS = 100;

const noop = (): void => undefined;

/**
 * One `wait(id)`: resolves when the task's record appears in /status (done, failed, cancelled)
 * or /dead. It holds an exists watch on both paths and looks again whenever one fires: standard
 * watches fire once, and a record can appear and leave (a redrive) before we read it.
 *
 * - ConnectionLoss: the client re-registers the watches when it reconnects (setWatches tells it
 *   about a create it missed); the look that failed is simply repeated.
 * - Session expiry: the watches died with the session; the next session from the connection
 *   gets new ones, and a look first (the task may have finished in between).
 */
export class TerminalWait {
  readonly promise: Promise<TaskView>;
  private resolve!: (view: TaskView) => void;
  private reject!: (err: unknown) => void;
  private readonly statusPath: string;
  private readonly deadPath: string;
  private readonly timer: TimerHandle;
  private readonly sessions: Subscription;
  /** The session our watches are on. */
  private client: ZooKeeperClient | undefined;
  private settled = false;
  private looking = false;
  private again = false;
  /** The task was seen to exist (so a later absence is a move, not a wrong id). */
  private exists = false;
  private readonly watcher = (event: WatchedEvent): void => {
    if (event.type !== EventType.None) this.look();
  };

  constructor(
    private readonly ctx: ClientContext,
    readonly id: string,
    timeoutMs: number,
  ) {
    this.promise = new Promise<TaskView>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.statusPath = paths.status(id);
    this.deadPath = paths.dead(id);
    this.timer = ctx.clock.setTimeout(
      () => this.fail(new WaitTimeoutError(id, timeoutMs)),
      timeoutMs,
    );
    // The current session is replayed at once: that is the first look.
    this.sessions = ctx.connection.sessions$.subscribe({
      next: (client) => {
        if (client !== this.client) this.look();
      },
      complete: () => this.fail(new TaskQueueError('the ZooKeeper connection was closed')),
    });
  }

  fail(err: unknown): void {
    if (this.settle()) this.reject(err);
  }

  private succeed(view: TaskView): void {
    if (this.settle()) this.resolve(view);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.ctx.clock.clearTimeout(this.timer);
    this.sessions?.unsubscribe();
    const client = this.client;
    if (client) {
      // Best effort: an exists watch on a path that never appears would stay on the server.
      for (const path of [this.statusPath, this.deadPath])
        client.removeWatches(path, this.watcher, WatcherType.Data).catch(noop);
    }
    return true;
  }

  /** Looks, one look at a time; a watch firing during a look asks for one more. */
  private look(): void {
    if (this.settled) return;
    if (this.looking) {
      this.again = true;
      return;
    }
    this.looking = true;
    this.again = false;
    this.lookOnce().then(
      (view) => {
        this.looking = false;
        if (view) this.succeed(view);
        else if (this.again) this.look();
      },
      (err: unknown) => {
        this.looking = false;
        this.lookFailed(err);
      },
    );
  }

  private lookFailed(err: unknown): void {
    if (this.settled) return;
    if (isRetryable(err)) {
      this.ctx.clock.setTimeout(() => this.look(), LOSS_PAUSE_MS);
    } else if (err instanceof SessionExpiredError) {
      // The next session (sessions$) triggers the next look; a closed connection completes it.
      if (this.ctx.connection.client !== this.client) this.look();
    } else {
      this.fail(err);
    }
  }

  private async lookOnce(): Promise<TaskView | undefined> {
    const client = this.ctx.connection.client;
    this.client = client;
    const [status, dead] = await Promise.all([
      client.exists(this.statusPath, this.watcher),
      client.exists(this.deadPath, this.watcher),
    ]);
    for (const [stat, path, area] of [
      [status, this.statusPath, 'status'],
      [dead, this.deadPath, 'dead'],
    ] as const) {
      if (!stat) continue;
      // Gone again (redriven, pruned): the watch now on it fires and we look again.
      const record = await readRecord(this.ctx, client, path);
      if (record) return toTaskView(record, area);
    }
    if (!this.exists) {
      const stored = await readTask(client, this.id);
      if (!stored) throw new TaskNotFoundError(this.id);
      this.exists = true;
      if (stored.area === 'status' || stored.area === 'dead') return viewOfStored(stored);
    }
    return undefined;
  }
}

/** The waits in progress, so close() can end them. */
export class TaskWaits {
  private readonly active = new Set<TerminalWait>();

  constructor(private readonly ctx: ClientContext) {}

  wait(id: string, timeoutMs: number): Promise<TaskView> {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS)
      return Promise.reject(
        new InvalidTaskError(`timeoutMs must be an integer from 0 to ${MAX_WAIT_MS}`),
      );
    if (!isTaskId(id)) return Promise.reject(new TaskNotFoundError(String(id)));
    const wait = new TerminalWait(this.ctx, id, timeoutMs);
    this.active.add(wait);
    const forget = () => this.active.delete(wait);
    wait.promise.then(forget, forget);
    return wait.promise;
  }

  failAll(err: unknown): void {
    for (const wait of [...this.active]) wait.fail(err);
  }
}
