import { BehaviorSubject, Observable, Subscription, distinctUntilChanged, filter, map } from 'rxjs';
import { Watcher, ZooKeeperClient, isConnected, isRetryable, withRetry } from '@shepherd/zk-client';
import {
  ACL,
  CreateMode,
  EventType,
  NoNodeError,
  SessionExpiredError,
} from '@shepherd/zk-protocol';
import { childPath, ensurePath, nameOf } from './ensure-path';
import { deleteOwnNode } from './node-deletion';
import { createProtected, sequenceOf, sortBySequence } from './protected-create';
import { isSessionEnd, isSessionLive } from './session-state';

export interface LeaderElectionOptions {
  /** The election's parent node, e.g. '/election' (created if missing). */
  path: string;
  /** This candidate's identity; stored as the node's data when `data` is not given. */
  id: string;
  /** Bytes to store in the candidate node instead of `id`. */
  data?: Buffer | string;
  /** ACL of the candidate node and of the election path if it has to be created (default open). */
  acl?: ACL[];
}

export interface ElectionCandidate {
  /** The node's data read as UTF-8: the candidate's id, unless it stored its own data. */
  id: string;
  /** As getData answers it (null when a candidate wrote null data). */
  data: Buffer | null;
  nodePath: string;
  sequence: number;
  leader: boolean;
}

/** Candidate nodes: `_c_<uuid>-n_<seq>`; anything else under the election path is ignored. */
const CANDIDATE_NODE = /n_\d{10}$/;

const noop = (): void => undefined;
const RETRY_DELAY_MS = 100;

/**
 * Leader election, the book's herd-free recipe (kazoo's Election, Curator's LeaderLatch):
 * every candidate creates an ephemeral sequential node `<path>/_c_<uuid>-n_<seq>`; the lowest
 * sequence leads. Each other candidate sets an `exists` watch on its immediate predecessor
 * only, so when a node goes exactly one candidate wakes up, and it re-lists the children
 * rather than assuming it leads now: the predecessor may have been a follower that left.
 *
 * ConnectionLoss: the candidate node is created the protected way (found again by its uuid);
 * while disconnected `isLeader` keeps its last known value, since this client cannot tell
 * whether its session survives. A leader must therefore fence its writes: put a `check` on
 * `nodePath` into every multi (the taskqueue master does), so writes from a leader whose
 * session expired behind its back fail instead of doing harm. On reconnect the position is
 * checked again.
 *
 * Session expiry: the node is gone with the session, so `leadership$` emits false and this
 * election stops for good (its client is dead). The owner joins again with a new
 * LeaderElection on the new session's client (see ZooKeeperConnection.sessions$).
 */
export class LeaderElection {
  /** Whether we lead: the current value first, then every change. */
  readonly leadership$: Observable<boolean>;
  /** Emits each time this candidate becomes the leader (at once if it already is). */
  readonly elected$: Observable<void>;
  private readonly leadership = new BehaviorSubject<boolean>(false);
  private readonly path: string;
  private readonly id: string;
  private readonly data: Buffer | string;
  private readonly acl: ACL[] | undefined;
  private node: string | undefined;
  private starting: Promise<void> | undefined;
  private stateSub: Subscription | undefined;
  /** Bumped whenever we leave, so late replies and watch events of a past run are ignored. */
  private generation = 0;
  private checking = false;
  private again = false;
  private closed = false;
  private readonly watcher: Watcher = (event) => {
    if (event.type === EventType.NodeDeleted || event.type === EventType.NodeDataChanged) {
      void this.check();
    }
  };

  constructor(
    private readonly client: ZooKeeperClient,
    options: LeaderElectionOptions,
  ) {
    this.path = options.path;
    this.id = options.id;
    this.data = options.data ?? options.id;
    this.acl = options.acl;
    this.leadership$ = this.leadership.pipe(distinctUntilChanged());
    this.elected$ = this.leadership$.pipe(
      filter((leader) => leader),
      map(() => undefined),
    );
  }

  /** Last known leadership (see the class comment for what it means while disconnected). */
  get isLeader(): boolean {
    return this.leadership.value;
  }

  /** Our candidate node while running, e.g. '/election/_c_<uuid>-n_0000000003'. */
  get nodePath(): string | undefined {
    return this.node;
  }

  /**
   * Joins the election: creates our candidate node and resolves once our position is known
   * (`isLeader` is then accurate). Allowed again after resign().
   */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('LeaderElection is closed'));
    if (this.starting !== undefined || this.node !== undefined) {
      return Promise.reject(new Error(`already running in election ${this.path}`));
    }
    const p = this.join().finally(() => {
      this.starting = undefined;
    });
    this.starting = p;
    return p;
  }

  /** Every candidate in sequence order; the first one is the leader. */
  async candidates(): Promise<ElectionCandidate[]> {
    let children: string[];
    try {
      children = await withRetry(() => this.client.getChildren(this.path));
    } catch (err) {
      if (err instanceof NoNodeError) return [];
      throw err;
    }
    const names = sortBySequence(children.filter((c) => CANDIDATE_NODE.test(c)));
    // Pipelined reads; a candidate that left between the list and its read is skipped.
    const read = await Promise.all(
      names.map(async (name) => {
        const nodePath = childPath(this.path, name);
        try {
          const { data } = await withRetry(() => this.client.getData(nodePath));
          const id = data?.toString('utf8') ?? '';
          return { id, data, nodePath, sequence: sequenceOf(name) };
        } catch (err) {
          if (err instanceof NoNodeError) return undefined;
          throw err;
        }
      }),
    );
    return read.filter((c) => c !== undefined).map((c, i) => ({ ...c, leader: i === 0 }));
  }

  /** The current leader, or null if there are no candidates. */
  async leader(): Promise<ElectionCandidate | null> {
    return (await this.candidates())[0] ?? null;
  }

  /** Leaves the election (deletes our node); the next candidate takes over. start() may follow. */
  async resign(): Promise<void> {
    await this.starting?.catch(noop);
    const node = this.node;
    if (node === undefined) return;
    this.leave();
    await deleteOwnNode(this.client, node);
  }

  /** resign(), then complete leadership$. Final. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.resign();
    } finally {
      this.leadership.complete();
    }
  }

  // --- internals -----------------------------------------------------------------------

  private async join(): Promise<void> {
    await ensurePath(this.client, this.path, this.acl);
    const node = await createProtected(this.client, childPath(this.path, 'n_'), this.data, {
      mode: CreateMode.EPHEMERAL_SEQUENTIAL,
      ...(this.acl ? { acl: this.acl } : {}),
    });
    this.node = node;
    this.generation++;
    this.stateSub = this.client.state$.subscribe((state) => {
      if (isSessionEnd(state)) this.leave();
      else if (isSessionLive(state)) void this.check();
    });
    await this.check();
  }

  /** Stop watching, stop leading. The node itself is left to the caller (or the server). */
  private leave(): void {
    this.node = undefined;
    this.generation++;
    this.stateSub?.unsubscribe();
    this.stateSub = undefined;
    this.setLeader(false);
  }

  /**
   * Where do we stand? Lowest sequence: lead. Otherwise watch the node just before ours.
   * Serialized: an event during a check makes the running check loop once more.
   */
  private async check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    try {
      do {
        this.again = false;
        await this.checkOnce();
      } while (this.again && this.node !== undefined);
    } finally {
      this.checking = false;
    }
  }

  private async checkOnce(): Promise<void> {
    const node = this.node;
    const generation = this.generation;
    if (node === undefined) return;
    try {
      const children = await this.client.getChildren(this.path);
      if (generation !== this.generation) return;
      const queue = sortBySequence(children.filter((c) => CANDIDATE_NODE.test(c)));
      const index = queue.indexOf(nameOf(node));
      if (index < 0) {
        // Our ephemeral was deleted while our session lives: we are out of the election.
        this.leave();
        return;
      }
      if (index === 0) {
        this.setLeader(true);
        return;
      }
      this.setLeader(false);
      const predecessor = childPath(this.path, queue[index - 1]);
      // Gone between the list and the watch: look again.
      if ((await this.client.exists(predecessor, this.watcher)) === null) this.again = true;
    } catch (err) {
      if (generation !== this.generation) return;
      // ConnectionLoss: the reconnect (state$) checks again; if the client is already back
      // (or it was a timeout without a disconnection), check again shortly.
      if (isRetryable(err)) {
        if (isConnected(this.client.state)) setTimeout(() => void this.check(), RETRY_DELAY_MS);
        return;
      }
      this.leave();
      // Session over: the node is gone with it; nothing to report.
      if (err instanceof SessionExpiredError) return;
      process.emitWarning(
        `LeaderElection ${this.path}: left the election after ${(err as Error).message}`,
      );
    }
  }

  private setLeader(leader: boolean): void {
    if (this.leadership.value !== leader && !this.leadership.closed) this.leadership.next(leader);
  }
}
