import { Inject, Injectable } from '@nestjs/common';
import { TaskQueueClient, type WorkerView } from '@shepherd/taskqueue';
import { CLIENT_APP_OPTIONS, type ResolvedClientAppOptions } from '../client-app-options';

/** The type a worker advertises to take tasks of any type. */
const ANY_TYPE = '*';

/**
 * The types live workers take, as the master assigns: those advertised by the workers that are
 * not draining, "*" (any type) included.
 */
export function servingTypes(workers: readonly WorkerView[]): Set<string> {
  return new Set(workers.filter((w) => !w.draining).flatMap((w) => w.types));
}

/** Whether a task of `type` has a worker among `serving` (see servingTypes). */
export function isServed(serving: ReadonlySet<string>, type: string): boolean {
  return serving.has(type) || serving.has(ANY_TYPE);
}

/** The `warning` of a 202 for a task no live worker takes yet. */
export function noWorkerWarning(type: string): string {
  return `no live worker serves type ${JSON.stringify(type)} yet: the task waits until one does`;
}

/**
 * A list read at most once per `ttlMs`: callers within that time share the last read, and
 * concurrent callers share the read in progress, so a burst of submissions lists /workers
 * once, not once per request. A failed read is not kept.
 */
export class CachedRead<T> {
  private cached: { value: T; at: number } | undefined;
  private pending: Promise<T> | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs)
      return Promise.resolve(this.cached.value);
    this.pending ??= this.read()
      .then((value) => {
        this.cached = { value, at: this.now() };
        return value;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}

/**
 * The live workers as the submit answers see them: TaskQueueClient.workers(), read at most once
 * per statsCacheMs (1 s by default). So a task submitted in the second after a worker for its
 * type joined may still get a warning; it is queued all the same and runs once assigned.
 */
@Injectable()
export class LiveWorkers {
  private readonly list: CachedRead<WorkerView[]>;

  constructor(
    @Inject(TaskQueueClient) tasks: TaskQueueClient,
    @Inject(CLIENT_APP_OPTIONS) options: ResolvedClientAppOptions,
  ) {
    this.list = new CachedRead(() => tasks.workers(), options.statsCacheMs);
  }

  /**
   * Of `types`, those no live worker takes. Empty when the workers cannot be read: the tasks
   * are queued by then, and a warning is not worth failing their submission for.
   */
  async unserved(types: Iterable<string>): Promise<Set<string>> {
    let serving: Set<string>;
    try {
      serving = servingTypes(await this.list.get());
    } catch {
      return new Set();
    }
    return new Set([...types].filter((type) => !isServed(serving, type)));
  }
}
