import { TaskAbortKind } from './task-abort';
import { TaskRun } from './task-run';
import { ResolvedWorkerOptions } from './worker-options';

/** What the run slots tell their session. */
export interface RunSlotsHooks {
  /** A run is over (its handler returned or was aborted, and its verdict is written). */
  finished(run: TaskRun): void;
  /** After a run is over and the next queued ones started: the session may be idle now. */
  settled(): void;
}

/**
 * The worker's run slots during one session: at most `concurrency` task runs execute at once.
 * The master assigns up to concurrency + prefetch tasks (Celery's prefetch, see
 * WorkerOptions.prefetch); the ones read beyond the free slots wait here in id order (the
 * master's order: priority, then submit time) and start as slots free up. The assignments they
 * come from are the inbox's (assignment-inbox.ts).
 */
export class RunSlots {
  /** Read and waiting for a slot, in id order (priority, then submit time: model/task-id.ts). */
  private readonly ready: TaskRun[] = [];
  /** Runs not finished yet (queued ones included). */
  private readonly runs = new Set<TaskRun>();
  private launched = 0;
  private draining = false;
  private ended = false;

  constructor(
    private readonly options: Pick<ResolvedWorkerOptions, 'concurrency'>,
    private readonly hooks: RunSlotsHooks,
  ) {}

  get running(): number {
    return this.launched;
  }

  get queued(): number {
    return this.ready.length;
  }

  /** No run is left, running or queued. */
  get isEmpty(): boolean {
    return this.runs.size === 0;
  }

  /**
   * A run read from its assignment: it waits for a slot, or, once the worker is shutting down,
   * is aborted and started at once so that it hands its task back.
   */
  add(run: TaskRun): void {
    this.runs.add(run);
    if (this.draining) {
      run.abort('shutdown', 'assigned while the worker was shutting down');
      this.launch(run);
    } else {
      insertById(this.ready, run);
      this.pump();
    }
  }

  /** Aborts a revoked run; a queued one is started at once so that it ends (writing nothing). */
  revoke(run: TaskRun, reason: string): void {
    run.abort('revoked', reason);
    const queued = this.ready.indexOf(run);
    if (queued >= 0) {
      this.ready.splice(queued, 1);
      this.launch(run);
    }
  }

  /** The worker is shutting down: no queued run starts any more (see handBackQueued). */
  stopStarting(): void {
    this.draining = true;
  }

  /** Aborts the queued runs and starts them, so that they hand their tasks back. */
  handBackQueued(): void {
    for (const run of this.ready.splice(0)) {
      run.abort('shutdown', 'worker shutting down');
      this.launch(run);
    }
  }

  /** Aborts every run not finished yet. */
  abortAll(kind: TaskAbortKind, message: string): void {
    for (const run of this.runs) run.abort(kind, message);
  }

  /** The session is over: running handlers are aborted, queued runs forgotten. */
  end(): void {
    this.ended = true;
    for (const run of this.runs) run.abort('session-lost', 'the worker session ended');
    for (const run of this.ready.splice(0)) this.runs.delete(run);
  }

  private pump(): void {
    const { concurrency } = this.options;
    while (!this.ended && !this.draining && this.ready.length > 0 && this.launched < concurrency) {
      const run = this.ready.shift() as TaskRun;
      this.launch(run);
    }
  }

  private launch(run: TaskRun): void {
    this.launched++;
    void run.execute().finally(() => {
      this.launched--;
      this.runs.delete(run);
      this.hooks.finished(run);
      this.pump();
      this.hooks.settled();
    });
  }
}

/** Keeps `ready` in id order (priority, then submit time) with one binary-search insert. */
function insertById(ready: TaskRun[], run: TaskRun): void {
  let lo = 0;
  let hi = ready.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ready[mid].id < run.id) lo = mid + 1;
    else hi = mid;
  }
  ready.splice(lo, 0, run);
}
