import { Observable, Subscriber, Subscription, share } from 'rxjs';
import { AddWatchMode, SessionExpiredError, WatcherType } from '@shepherd/zk-protocol';
import { WatchedEvent, ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { ClusterEvent } from '../cluster-event';
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
 * `events$`: one PERSISTENT_RECURSIVE watch on the layout's root, shared by every subscriber,
 * set on the first subscription and removed on the last unsubscribe (rxjs share()).
 *
 * Notifications are classified by path (reactionTo). Those that need the record (where did the
 * task arrive, with which history entry) read it at once, pipelined, and the events are emitted
 * in notification order whatever order the reads finish in.
 *
 * - ConnectionLoss: the client re-registers the watch when it reconnects. A persistent watch
 *   does not replay what happened meanwhile; those changes are missed (the records' histories
 *   are the durable account). The leader is looked at again, so a failover is reported.
 * - Session expiry: the watch died with the session; it is set again on the next session.
 */
export class ClusterEventStream {
  readonly events$: Observable<ClusterEvent>;

  constructor(private readonly ctx: ClientContext) {
    this.events$ = new Observable<ClusterEvent>((subscriber) => this.observe(subscriber)).pipe(
      share(),
    );
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
        else if (reaction.kind === 'record') emitInOrder(readRecordEvents(client, reaction));
        else emitInOrder(lookAtElection(client, true));
      };
      watcher = onChange;
      // The leader at subscription time is the baseline, not news.
      const first = leaderNode === undefined;
      emitInOrder(
        withRetry(client, () => client.addWatch('/', onChange, AddWatchMode.PERSISTENT_RECURSIVE))
          .then(() => lookAtElection(client, !first))
          .catch((err: unknown) => {
            // Expired: the next session sets the watch again (sessions$ below).
            if (!(err instanceof SessionExpiredError)) subscriber.error(err);
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
      if (e.type === 'reconnected' && current && !stopped) {
        const client = current;
        emitInOrder(lookAtElection(client, true));
      }
    });

    return () => {
      stopped = true;
      sessions.unsubscribe();
      reconnects.unsubscribe();
      const client = current;
      const onChange = watcher;
      if (client && onChange)
        client
          .removeWatches('/', onChange, WatcherType.Any)
          // Not connected: drop it locally; the server forgets it with the session.
          .catch(() => client.removeWatches('/', onChange, WatcherType.Any, true))
          .catch(noop);
    };
  }
}
