import {
  AddWatchMode,
  EventType,
  NoNodeError,
  NoWatcherError,
  WatcherType,
} from '@shepherd/zk-protocol';
import { Watcher, isConnected } from '@shepherd/zk-client';
import { ROOTS, paths } from '../layout/paths';
import { QueueSettings, decodeQueueSettings, isQueueType } from '../queues/queue-settings';
import { TermContext } from './term-context';
import { createIfMissing } from '../store/create-if-missing';
import { dataOrNull } from './zk-reads';

/**
 * Keeps the leader's copy of /queues/<type> (per-type settings: paused, concurrency, rate limit)
 * current: one PERSISTENT_RECURSIVE watch on /queues, set before the first listing; each event
 * marks its type for a re-read in the term's work loop, so a change applies at the next round.
 * After a reconnect (events of the gap are lost) and at takeover everything is read again.
 */
export class QueueSettingsTracker {
  readonly settings = new Map<string, QueueSettings>();
  private readonly stale = new Set<string>();
  private all = true;
  private watching = false;

  constructor(private readonly term: TermContext) {}

  /** Something to read before the next round. */
  get pending(): boolean {
    return this.all || this.stale.size > 0;
  }

  /** After a reconnect: read every type again. */
  markAllStale(): void {
    this.all = true;
  }

  private readonly onChange: Watcher = (e) => {
    if (!this.term.active || e.path === undefined || e.type === EventType.None) return;
    const parts = e.path.split('/');
    if (parts.length !== 3 || `/${parts[1]}` !== ROOTS.queues || !isQueueType(parts[2])) return;
    this.stale.add(parts[2]);
    this.term.kick();
  };

  /** Takeover: watch, then read every type's settings. */
  async load(): Promise<void> {
    if (!this.watching) {
      // A tree laid out before queue settings existed has no /queues yet.
      await createIfMissing(this.term.client, ROOTS.queues, this.term.options.acl);
      await this.term.client.addWatch(
        ROOTS.queues,
        this.onChange,
        AddWatchMode.PERSISTENT_RECURSIVE,
      );
      this.watching = true;
    }
    this.all = true;
    await this.refresh();
  }

  /** Reads what is marked (everything after a reconnect); asks for a round if it changed. */
  async refresh(): Promise<void> {
    const { client } = this.term;
    let types: string[];
    const whole = this.all;
    if (whole) {
      this.all = false;
      this.stale.clear();
      try {
        types = (await client.getChildren(ROOTS.queues)).filter((t) => isQueueType(t));
      } catch (err) {
        if (!(err instanceof NoNodeError)) {
          this.all = true;
          throw err;
        }
        types = [];
      }
    } else {
      types = [...this.stale];
      this.stale.clear();
    }
    let read: Array<QueueSettings | null>;
    try {
      read = await Promise.all(
        types.map(async (t) => {
          const node = await dataOrNull(client, paths.queue(t));
          return node === null ? null : decodeQueueSettings(node.data);
        }),
      );
    } catch (err) {
      if (whole) this.all = true;
      else for (const t of types) this.stale.add(t);
      throw err;
    }
    if (!this.term.active) return;
    if (whole) this.settings.clear();
    types.forEach((t, i) => {
      const s = read[i];
      if (s === null || Object.keys(s).length === 0) this.settings.delete(t);
      else this.settings.set(t, s);
    });
    this.term.options.logger.debug(
      { types: types.length, limited: this.settings.size },
      'queue settings read',
    );
    this.term.wantRound();
  }

  /** Removes the persistent watch (best effort: a dead session has dropped it anyway). */
  async stop(): Promise<void> {
    if (!this.watching) return;
    this.watching = false;
    const client = this.term.client;
    try {
      await client.removeWatches(
        ROOTS.queues,
        this.onChange,
        WatcherType.Any,
        !isConnected(client.state),
      );
    } catch (err) {
      if (err instanceof NoWatcherError) return;
      await client
        .removeWatches(ROOTS.queues, this.onChange, WatcherType.Any, true)
        .catch(() => undefined);
    }
  }
}
