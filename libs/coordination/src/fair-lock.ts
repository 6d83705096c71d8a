import { Subscription } from 'rxjs';
import { ZooKeeperClient, withRetry } from '@shepherd/zk-client';
import { CreateMode, NoNodeError } from '@shepherd/zk-protocol';
import { childPath, ensurePath, nameOf } from './ensure-path';
import { AcquireOptions, acquireDeadline } from './lock-acquire';
import { deleteOwnNode, waitUntilDeleted } from './node-deletion';
import { createProtected, sortBySequence } from './protected-create';
import { isSessionEnd } from './session-state';

/** Our lock nodes: `_c_<uuid>-lock-<seq>`; anything else under the lock path is ignored. */
const LOCK_NODE = /lock-\d{10}$/;

/**
 * A fair (FIFO) lock, the book's herd-free recipe: each contender creates an ephemeral
 * sequential `lock-` node under `path` (protected create) and holds the lock when its node has
 * the lowest sequence. Otherwise it watches only its immediate predecessor (`exists`), so a
 * release wakes exactly one waiter, and it re-lists when that predecessor goes (it may have
 * left the queue rather than released the lock). Not re-entrant.
 *
 * ConnectionLoss: the create finds its own node again by its uuid; a waiter's watch is restored
 * on reconnect. While disconnected a holder cannot know whether its session survives: fence the
 * work done under the lock (e.g. `check` `nodePath` in the same multi).
 *
 * Session expiry: the node goes with the session, so the lock passes to the next waiter;
 * `isHeld` turns false and a waiting acquire() rejects with SessionExpiredError.
 */
export class FairLock {
  private node: string | undefined;
  private held = false;
  private stateSub: Subscription | undefined;

  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    private readonly data: Buffer | string = '',
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Our lock node while waiting or holding. */
  get nodePath(): string | undefined {
    return this.node;
  }

  /**
   * Queues and waits for the lock. Rejects with LockTimeoutError after `timeoutMs`, or with
   * `signal.reason` when aborted; either way our node is deleted first, so the queue moves on.
   */
  async acquire(opts: AcquireOptions = {}): Promise<void> {
    if (this.node !== undefined) {
      throw new Error(`lock ${this.path} is already held or being acquired by this FairLock`);
    }
    const { signal, dispose } = acquireDeadline(this.path, opts);
    try {
      signal.throwIfAborted();
      await ensurePath(this.client, this.path);
      const node = await createProtected(this.client, childPath(this.path, 'lock-'), this.data, {
        mode: CreateMode.EPHEMERAL_SEQUENTIAL,
      });
      this.node = node;
      try {
        for (;;) {
          signal.throwIfAborted();
          const predecessor = await this.predecessorOf(node);
          if (predecessor === undefined) break;
          await waitUntilDeleted(this.client, predecessor, signal);
        }
      } catch (err) {
        this.node = undefined;
        await deleteOwnNode(this.client, node).catch(() => undefined);
        throw err;
      }
      this.setHeld(true);
    } finally {
      dispose();
    }
  }

  /** Deletes our node: the next in line gets the lock. A no-op if not held. */
  async release(): Promise<void> {
    const node = this.node;
    if (node === undefined || !this.held) return;
    this.node = undefined;
    this.setHeld(false);
    await deleteOwnNode(this.client, node);
  }

  /** The node just before ours, or undefined if ours is first (we hold the lock). */
  private async predecessorOf(node: string): Promise<string | undefined> {
    const children = await withRetry(() => this.client.getChildren(this.path));
    const queue = sortBySequence(children.filter((c) => LOCK_NODE.test(c)));
    const index = queue.indexOf(nameOf(node));
    // Our ephemeral is gone while the session lives: someone deleted it. We are out of the queue.
    if (index < 0) throw new NoNodeError(node);
    return index === 0 ? undefined : childPath(this.path, queue[index - 1]);
  }

  private setHeld(held: boolean): void {
    this.held = held;
    this.stateSub?.unsubscribe();
    this.stateSub = undefined;
    if (held) {
      this.stateSub = this.client.state$.subscribe((state) => {
        if (!isSessionEnd(state)) return;
        this.node = undefined;
        this.setHeld(false);
      });
    }
  }
}
