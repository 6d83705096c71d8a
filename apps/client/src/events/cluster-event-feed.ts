import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AsyncSubject, Observable, Subject, Subscription, retry } from 'rxjs';
import { ClusterEvent, TaskQueueClient } from '@shepherd/taskqueue';
import { CLIENT_APP_OPTIONS, type ResolvedClientAppOptions } from '../client-app-options';

/** Pause before watching again after the event stream failed. */
const RESUBSCRIBE_DELAY_MS = 1000;

/**
 * The app's one subscription to TaskQueueClient.events$ (one recursive watch on the layout),
 * shared by the event stream, stats and metrics, and kept for the life of the app, so the
 * tallies start with the app and every SSE client joins a watch that is already set. If the
 * watch fails it is set again. `closed$` fires at shutdown, so open streams can end.
 */
@Injectable()
export class ClusterEventFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly subject = new Subject<ClusterEvent>();
  private readonly closing = new AsyncSubject<void>();
  private subscription: Subscription | undefined;
  readonly events$: Observable<ClusterEvent> = this.subject.asObservable();
  readonly closed$: Observable<void> = this.closing.asObservable();

  constructor(
    @Inject(TaskQueueClient) private readonly tasks: TaskQueueClient,
    @Inject(CLIENT_APP_OPTIONS) private readonly options: ResolvedClientAppOptions,
  ) {}

  onModuleInit(): void {
    const log = this.options.logger;
    this.subscription = this.tasks.events$
      .pipe(
        retry({
          delay: (err: unknown) => {
            log.warn({ err }, 'cluster events: the watch failed; setting it again');
            return new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_DELAY_MS));
          },
        }),
      )
      .subscribe({
        next: (event) => this.subject.next(event),
        complete: () => this.close(),
      });
  }

  /** Before the HTTP server closes: open event streams must end, or it would wait for them. */
  beforeApplicationShutdown(): void {
    this.close();
  }

  onApplicationShutdown(): void {
    this.close();
  }

  private close(): void {
    if (this.closing.closed) return;
    this.subscription?.unsubscribe();
    this.closing.next();
    this.closing.complete();
    this.subject.complete();
  }
}
