import { Observable, Subscriber, Subscription, share } from 'rxjs';
import { AddWatchMode, SessionExpiredError, WatcherType } from '@shepherd/zk-protocol';
import { WatchedEvent, ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { ClusterEvent } from '../cluster-event';
import { ROOTS } from '../layout/paths';
import { ClientContext } from './client-options';
import { readLeader } from './cluster-info';
import { RecordReaction, eventsFromRecord, reactionTo } from './event-classifier';
import { readRecord } from './list-tasks';
import { sleep } from './session-retry';

/** Attempts of one read or addWatch through connection losses before it is given up. */
const ATTEMPTS = 5;
const PAUSE_MS = 100;

const noop = (): void => undefined;

/**
 * What a ClusterEventStream watches:
 * - 'cluster': the layout's root, so every event (tasks, assignments, starts, progress,
 *   workers, the election);
 * - 'tasks': the three places a task arrives in, /tasks, /status and /dead, so only the events
 *   of arrivals (task.queued, task.reassigned, task.failed, task.completed, task.cancelled,
 *   task.dead). A task's assignment, start and progress, about half the notifications a task
 *   causes, never reach this client: what counts outcomes needs no more.
 */
export type EventScope = 'cluster' | 'tasks';

/** What each scope watches, its bit in OwnSubmissions, and whether it follows the election. */
interface ScopeSpec {
  roots: readonly string[];
  bit: number;
  election: boolean;
}

const SCOPES: Record<EventScope, ScopeSpec> = {
  cluster: { roots: ['/'], bit: 1, election: true },
  tasks: { roots: [ROOTS.tasks, ROOTS.status, ROOTS.dead], bit: 2, election: false },
};

/**
 * `events$`: one PERSISTENT_RECURSIVE watch per root of its scope, shared by every subscriber,
 * set on the first subscription and removed on the last unsubscribe (rxjs share()).
 *
 * Notifications are classified by path (reactionTo). Those that need the record (where did the
 * task arrive, with which history entry) read it at once, pipelined, and the events are emitted
 * in notification order whatever order the reads finish in.
 *
 * - ConnectionLoss: the client re-registers the watch when it reconnects. A persistent watch
 *   does not replay what happened meanwhile; those changes are missed (the records' histories
 *   are the durable account). In the 'cluster' scope the leader is looked at again, so a
 *   failover is reported.
 * - Session expiry: the watch died with the session; it is set again on the next session.
 */
export class ClusterEventStream {
  readonly events$: Observable<ClusterEvent>;
  /** Settles when the watches of the current subscription were first set (see watching()). */
  private watchesSet: Promise<void> | undefined;
  private readonly spec: ScopeSpec;

  constructor(
    private readonly ctx: ClientContext,
    scope: EventScope = 'cluster',
  ) {
    this.spec = SCOPES[scope];
    this.events$ = new Observable<ClusterEvent>((subscriber) => this.observe(subscriber)).pipe(
      share(),
    );
  }

  /**
   * Resolves once the watches behind the current subscription are set, so every change after
   * that is seen (an SSE client told "connected" must not miss the task it submits next).
   * Rejects when nothing is subscribed.
   */
  watching(): Promise<void> {
    return this.watchesSet ?? Promise.reject(new Error('events$ has no subscriber'));
  }

  private observe(subscriber: Subscriber<ClusterEvent>): () => void {
    const { connection, clock, logger } = this.ctx;
    let current: ZooKeeperClient | undefined;
    let watcher: ((e: WatchedEvent) => void) | undefined;
    let stopped = false;
    /** Emits in notification order: each batch waits for the one before. */
    let tail: Promise<unknown> = Promise.resolve();
    /** The leader's election node as last seen (undefined: not looked at yet). */
    let leaderNode: string | null | undefined;
    const { roots, bit, election: withElection } = this.spec;
    const own = this.ctx.own;
    /** Own submissions noted from this number on were seen by the watch (own-submissions.ts). */
    let from = Infinity;
    own.setActive(bit, true);
    let watchesSet!: () => void;
    let watchesFailed!: (err: unknown) => void;
    const set = new Promise<void>((resolve, reject) => {
      watchesSet = resolve;
      watchesFailed = reject;
    });
    set.catch(noop);
    this.watchesSet = set;

    const emitInOrder = (events: Promise<ClusterEvent[]>) => {
      const settled = events.catch((err: unknown) => {
        logger.warn({ err }, 'events$: a change could not be read; skipped');
        return [] as ClusterEvent[];
      });
      tail = tail
        .then(() => settled)
        .then((batch) => {
          if (!stopped) for (const e of batch) subscriber.next(e);
        });
    };

    /** Reads through connection losses on the client that delivered the notification. */
    const withRetry = async <T>(client: ZooKeeperClient, fn: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (err) {
          if (!isRetryable(err) || attempt >= ATTEMPTS || client !== current || stopped) throw err;
          await sleep(clock, PAUSE_MS * attempt);
        }
      }
    };

    const readRecordEvents = (client: ZooKeeperClient, r: RecordReaction) =>
      withRetry(client, () => readRecord(this.ctx, client, r.path)).then((record) =>
        eventsFromRecord(r, record, clock.now()),
      );

    /** master.elected when the leading candidate changed since we last looked. */
    const lookAtElection = (client: ZooKeeperClient, announce: boolean) =>
      withRetry(client, () => readLeader(client)).then((leader): ClusterEvent[] => {
        const node = leader?.node ?? null;
        const changed = node !== leaderNode;
        leaderNode = node;
        if (!changed || !announce || leader === null) return [];
        return [{ type: 'master.elected', at: clock.now(), masterId: leader.id }];
      });

    const watch = (client: ZooKeeperClient) => {
      const onChange = (event: WatchedEvent) => {
        if (stopped || client !== current || event.path === undefined) return;
        const reaction = reactionTo(event.type, event.path, clock.now());
        if (!reaction) return;
        if (reaction.kind === 'emit') emitInOrder(Promise.resolve(reaction.events));
        else if (reaction.kind === 'record') {
          const type =
            reaction.area === 'tasks' ? own.claim(reaction.taskId, bit, from) : undefined;
          emitInOrder(
            type === undefined
              ? readRecordEvents(client, reaction)
              : Promise.resolve([submitted(reaction.taskId, type, clock.now())]),
          );
        } else if (withElection) emitInOrder(lookAtElection(client, true));
      };
      watcher = onChange;
      // The leader at subscription time is the baseline, not news.
      const first = leaderNode === undefined;
      emitInOrder(
        Promise.all(
          roots.map((root) =>
            withRetry(client, () => {
              // Taken as the request goes out (again, when it is retried): see OwnSubmissions.
              from = own.next();
              return client.addWatch(root, onChange, AddWatchMode.PERSISTENT_RECURSIVE);
            }),
          ),
        )
          .then(() => {
            watchesSet();
            return withElection ? lookAtElection(client, !first) : [];
          })
          .catch((err: unknown) => {
            // Expired: the next session sets the watch again (sessions$ below).
            if (!(err instanceof SessionExpiredError)) {
              watchesFailed(err);
              subscriber.error(err);
            }
            return [];
          }),
      );
    };

    const sessions: Subscription = connection.sessions$.subscribe({
      next: (client) => {
        if (client === current) return;
        current = client;
        watch(client);
      },
      complete: () => subscriber.complete(),
    });
    const reconnects = connection.events$.subscribe((e) => {
      // Notifications may be lost while disconnected, and requests queued meanwhile may reach
      // the server before the watch is set again: older notes are not trusted.
      if (e.type === 'disconnected' || e.type === 'reconnected') from = own.next();
      if (withElection && e.type === 'reconnected' && current && !stopped) {
        const client = current;
        emitInOrder(lookAtElection(client, true));
      }
    });

    return () => {
      stopped = true;
      own.setActive(bit, false);
      if (this.watchesSet === set) this.watchesSet = undefined;
      sessions.unsubscribe();
      reconnects.unsubscribe();
      const client = current;
      const onChange = watcher;
      if (client && onChange)
        for (const root of roots)
          client
            .removeWatches(root, onChange, WatcherType.Any)
            // Not connected: drop it locally; the server forgets it with the session.
            .catch(() => client.removeWatches(root, onChange, WatcherType.Any, true))
            .catch(noop);
    };
  }
}

/** The event a task's submission makes, as eventsFromRecord makes it from the new record. */
function submitted(taskId: string, taskType: string, at: number): ClusterEvent {
  return { type: 'task.queued', at, taskId, state: 'queued', taskType, attempts: 0 };
}
