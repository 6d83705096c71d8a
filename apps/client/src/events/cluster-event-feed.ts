import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import {
  AsyncSubject,
  Observable,
  Subject,
  Subscription,
  retry,
  share,
  takeUntil,
  timer,
} from 'rxjs';
import { ClusterEvent, TaskQueueClient } from '@shepherd/taskqueue';
import { CLIENT_APP_OPTIONS, type ResolvedClientAppOptions } from '../client-app-options';

/** Pause before watching again after the event stream failed. */
const RESUBSCRIBE_DELAY_MS = 1000;
/**
 * How long a new stream waits for its watch before it answers anyway (ZooKeeper away): it
 * then starts without the promise that nothing after "connected" is missed.
 */
export const WATCH_WAIT_MS = 5000;
/** How long open() keeps the watch for a stream that was never subscribed (client gone). */
const HOLD_MS = 30_000;

/**
 * The app's two views of the cluster's events:
 * - `tallies$`: the events of tasks arriving in the queue and at an end (the 'tasks' scope of
 *   TaskQueueClient.taskEvents$: watches on /tasks, /status and /dead), subscribed for the life
 *   of the app, so stats and metrics count from its start;
 * - `open()`: every event (a watch on the whole layout), for a server-sent event stream, set
 *   while at least one stream is open and removed after the last one closes. A task causes
 *   about twice as many notifications under the whole layout as under the arrivals, each sent
 *   by ZooKeeper to every app that watches and mostly read back by it: an app nobody streams
 *   from pays only for the tallies.
 * A watch that fails is set again. `closed$` fires at shutdown, so open streams can end.
 */
@Injectable()
export class ClusterEventFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly tallies = new Subject<ClusterEvent>();
  private readonly closing = new AsyncSubject<void>();
  private subscription: Subscription | undefined;
  readonly tallies$: Observable<ClusterEvent> = this.tallies.asObservable();
  readonly closed$: Observable<void> = this.closing.asObservable();
  /** Every event, shared by the open streams (one watch), ending at shutdown. */
  private readonly all$: Observable<ClusterEvent>;

  constructor(
    @Inject(TaskQueueClient) private readonly tasks: TaskQueueClient,
    @Inject(CLIENT_APP_OPTIONS) private readonly options: ResolvedClientAppOptions,
  ) {
    this.all$ = this.resubscribing(tasks.events$).pipe(takeUntil(this.closed$), share());
  }

  onModuleInit(): void {
    this.subscription = this.resubscribing(this.tasks.taskEvents$).subscribe({
      next: (event) => this.tallies.next(event),
      complete: () => this.close(),
    });
  }

  /**
   * Every event from now on, for one stream: resolves once the watch behind it is set (or
   * after WATCH_WAIT_MS), so a client that submits a task right after the stream answered
   * sees its events. Subscribe to the result at once: the watch is held for it until then.
   */
  async open(): Promise<Observable<ClusterEvent>> {
    const hold = this.all$.subscribe();
    const release = setTimeout(() => hold.unsubscribe(), HOLD_MS);
    release.unref?.();
    let waiting: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.tasks.whenWatching('cluster').catch(() => undefined),
      new Promise<void>((resolve) => (waiting = setTimeout(resolve, WATCH_WAIT_MS))),
    ]);
    clearTimeout(waiting);
    return new Observable<ClusterEvent>((subscriber) => {
      const stream = this.all$.subscribe(subscriber);
      clearTimeout(release);
      hold.unsubscribe();
      return stream;
    });
  }

  /** Before the HTTP server closes: open event streams must end, or it would wait for them. */
  beforeApplicationShutdown(): void {
    this.close();
  }

  onApplicationShutdown(): void {
    this.close();
  }

  private resubscribing(events$: Observable<ClusterEvent>): Observable<ClusterEvent> {
    const log = this.options.logger;
    return events$.pipe(
      retry({
        delay: (err: unknown) => {
          log.warn({ err }, 'cluster events: the watch failed; setting it again');
          return timer(RESUBSCRIBE_DELAY_MS);
        },
      }),
    );
  }

  private close(): void {
    if (this.closing.closed) return;
    this.subscription?.unsubscribe();
    this.closing.next();
    this.closing.complete();
    this.tallies.complete();
  }
}
