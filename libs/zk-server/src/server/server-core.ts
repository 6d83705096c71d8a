import { randomBytes } from 'node:crypto';
import { KeeperState, OpCode, WatcherEvent } from '@shepherd/zk-protocol';
import { DataTree } from '../data-tree/data-tree';
import { WatchTrigger } from '../data-tree/watch-trigger';
import { Session } from '../sessions/session';
import { SessionTracker } from '../sessions/session-tracker';
import { Txn, TxnHeader } from '../txn/txn';
import { DataTreeWatches } from '../watches/data-tree-watches';
import { CommittedTxn, PendingNotification } from './committed-txn';
import { ReplyBarrier } from './reply-barrier';
import { ResolvedZkServerConfig } from './server-config';
import { ServerCnxn } from './server-cnxn';
import { InMemoryTxnLog, TxnLogSink } from './txn-log-sink';

/**
 * The state every connection shares, and the one write path (ZooKeeperServer + the
 * Prep -> Sync -> Final processor chain collapsed into one synchronous step): a txn gets the
 * next zxid, is applied to the tree at once (so the next request is prepped against it, as
 * PrepRequestProcessor's outstanding changes allow), is handed to the log without waiting, and
 * everything it makes visible goes through the reply barrier, released once it is durable.
 */
export class ServerCore {
  private currentTree = new DataTree();
  readonly watches: DataTreeWatches<ServerCnxn>;
  readonly sessions: SessionTracker<ServerCnxn>;
  readonly barrier: ReplyBarrier;
  readonly log: TxnLogSink;
  readonly connections = new Set<ServerCnxn>();
  private zxid = 0n;
  private failure: unknown = undefined;
  private failed = false;

  /**
   * `sessionSecret` keys the session passwords; it is read at each use, so the owner may fill
   * a Buffer in place before the first session (a persisted secret loaded at start).
   */
  constructor(
    readonly config: ResolvedZkServerConfig,
    log?: TxnLogSink,
    sessionSecret?: Buffer,
  ) {
    this.log = log ?? config.log ?? new InMemoryTxnLog();
    this.watches = new DataTreeWatches<ServerCnxn>({ isStale: (c) => c.closed });
    this.barrier = new ReplyBarrier((err) => this.reportError(err, 'release'));
    this.sessions = new SessionTracker<ServerCnxn>({
      clock: config.clock,
      tickTime: config.tickTime,
      minSessionTimeout: config.minSessionTimeout,
      maxSessionTimeout: config.maxSessionTimeout,
      secret: sessionSecret ?? config.sessionSecret ?? randomBytes(32),
      onExpire: (session) => this.expire(session),
    });
  }

  /** The live data tree. */
  get tree(): DataTree {
    return this.currentTree;
  }

  /** Starts from a recovered tree (a loaded snapshot); only before serving. */
  replaceTree(tree: DataTree): void {
    this.currentTree = tree;
    this.setLastZxid(tree.lastProcessedZxid);
  }

  /** The zxid of the last txn applied (ZKDatabase.getDataTreeLastProcessedZxid). */
  get lastZxid(): bigint {
    return this.zxid;
  }

  /** True once a log append failed: the server no longer serves (ZooKeeper would exit). */
  get isFailed(): boolean {
    return this.failed;
  }

  get failureReason(): unknown {
    return this.failure;
  }

  /** Continues after a recovered state: the next txn gets lastZxid + 1. */
  setLastZxid(zxid: bigint): void {
    if (zxid > this.zxid) this.zxid = zxid;
  }

  /**
   * Applies and logs one txn. ZooKeeper assigns the zxid in PrepRequestProcessor and applies
   * it in FinalRequestProcessor after SyncRequestProcessor; doing both now is equivalent
   * because nothing of it is released before the log sync (see ReplyBarrier).
   */
  commit(clientId: bigint, cxid: number, txn: Txn): CommittedTxn {
    const zxid = ++this.zxid;
    const header: TxnHeader = {
      clientId,
      cxid,
      zxid,
      time: BigInt(this.config.clock.now()),
      type: txn.type,
    };
    const result = this.tree.processTxn(header, txn);
    if (txn.type === OpCode.closeSession) this.sessions.removeSession(clientId);
    const notifications: PendingNotification[] = [];
    if (this.watches.hasWatches) this.notify(result.triggers, notifications);
    let durable: Promise<void>;
    try {
      durable = this.log.append(header, txn);
    } catch (err) {
      durable = Promise.reject(err);
    }
    return { header, result, notifications, durable };
  }

  /** Who is told about each trigger, as notifications (consumes one-time watches). */
  private notify(triggers: readonly WatchTrigger[], out: PendingNotification[]): void {
    for (const trigger of triggers) {
      const event: WatcherEvent = {
        type: trigger.type,
        state: KeeperState.SyncConnected,
        path: trigger.path,
      };
      for (const cnxn of this.watches.trigger(trigger)) out.push({ cnxn, event });
    }
  }

  /**
   * Releases a committed txn's watch events and then `reply` once it is durable and everything
   * queued before it has gone out. Events first: a client must see the event before it can
   * see the new state (ZooKeeper's watch ordering guarantee).
   */
  releaseCommitted(committed: CommittedTxn, reply: () => void): void {
    this.barrier.pushAfter(
      committed.durable,
      () => {
        const zxid = this.config.notificationZxid === 'txn' ? committed.header.zxid : -1n;
        for (const { cnxn, event } of committed.notifications) {
          if (!cnxn.closed) cnxn.sendNotification(event, zxid);
        }
        reply();
      },
      (err) => this.fail(err),
    );
  }

  /** Output that needs no txn of its own (reads, pings...), in order behind queued writes. */
  release(reply: () => void): void {
    this.barrier.push(reply);
  }

  /** SessionTrackerImpl's expirer -> ZooKeeperServer.expire: log a closeSession for it. */
  private expire(session: Session<ServerCnxn>): void {
    if (this.failed) return;
    try {
      this.config.onSessionExpired?.(session.id, session.timeout);
    } catch (err) {
      this.reportError(err, 'session expiry hook');
    }
    const committed = this.commit(session.id, 0, {
      type: OpCode.closeSession,
      paths2Delete: this.tree.getEphemerals(session.id),
    });
    this.releaseCommitted(committed, () => session.owner?.close('session expired'));
  }

  /** A connection went away: its watches go, its session stays until it expires. */
  connectionClosed(cnxn: ServerCnxn): void {
    this.connections.delete(cnxn);
    this.watches.removeWatcher(cnxn);
    if (cnxn.sessionId !== 0n) this.sessions.detach(cnxn.sessionId, cnxn);
  }

  reportError(err: unknown, where: string): void {
    try {
      this.config.onError?.(err, where);
    } catch {
      // A failing error hook must not take the server down either.
    }
  }

  /** A log append failed: stop serving rather than show non-durable state. */
  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = err;
    this.reportError(err, 'txn log');
    for (const cnxn of [...this.connections]) cnxn.close('txn log failed');
  }
}
