import { Subscription } from 'rxjs';
import { ZooKeeperClient, withRetry } from '@shepherd/zk-client';
import {
  BadVersionError,
  CreateMode,
  NoNodeError,
  NodeExistsError,
  SessionExpiredError,
} from '@shepherd/zk-protocol';
import { ensurePath, parentOf } from './ensure-path';
import { AcquireOptions, acquireDeadline } from './lock-acquire';
import { waitUntilDeleted } from './node-deletion';
import { createProtected } from './protected-create';
import { isSessionEnd } from './session-state';

/**
 * The lock of the ZooKeeper book (section 2.3.4): whoever creates the ephemeral node `path`
 * holds the lock; the others set an `exists` watch on it and try again once it is deleted.
 * Simple, but every waiter wakes up on each release (a herd) and there is no ordering: use
 * FairLock when there are many waiters or fairness matters.
 *
 * ConnectionLoss: the create is retried the protected way (our session owning the node means we
 * got it); a waiter keeps waiting, its watch is restored on reconnect. While disconnected the
 * holder cannot know whether its session is still alive, so work done under the lock should be
 * fenced (e.g. `check` the lock node's version in the same multi).
 *
 * Session expiry: the ephemeral node goes, so the lock is released by the server and `isHeld`
 * turns false; a waiting acquire() rejects with SessionExpiredError.
 */
export class SimpleLock {
  private held = false;
  private stateSub: Subscription | undefined;

  constructor(
    private readonly client: ZooKeeperClient,
    readonly path: string,
    private readonly data: Buffer | string = '',
  ) {}

  /** True from a successful acquire until release() or the end of the session. */
  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Waits until the lock is ours. Rejects with LockTimeoutError after `timeoutMs`, with
   * `signal.reason` when aborted; in both cases a node created meanwhile is deleted first.
   */
  async acquire(opts: AcquireOptions = {}): Promise<void> {
    this.assertNotHeld();
    const { signal, dispose } = acquireDeadline(this.path, opts);
    try {
      await ensurePath(this.client, parentOf(this.path));
      for (;;) {
        signal.throwIfAborted();
        if (await this.tryCreate()) {
          if (signal.aborted) {
            // Got it just as the caller gave up: give it back.
            await this.release();
            signal.throwIfAborted();
          }
          return;
        }
        await waitUntilDeleted(this.client, this.path, signal);
      }
    } finally {
      dispose();
    }
  }

  /** One attempt, no waiting: true if the lock is now ours. */
  async tryAcquire(): Promise<boolean> {
    this.assertNotHeld();
    await ensurePath(this.client, parentOf(this.path));
    return this.tryCreate();
  }

  /**
   * Deletes the lock node if our session still owns it (after an expiry another client may
   * hold the lock by now: its node must not be touched). A no-op if not held.
   */
  async release(): Promise<void> {
    if (!this.held) return;
    this.setHeld(false);
    const client = this.client;
    await withRetry(async () => {
      try {
        const stat = await client.exists(this.path);
        if (stat !== null && stat.ephemeralOwner === client.sessionId) {
          await client.delete(this.path, stat.version);
        }
      } catch (err) {
        // Gone already, or gone with the session: released either way.
        if (err instanceof NoNodeError || err instanceof BadVersionError) return;
        if (err instanceof SessionExpiredError) return;
        throw err;
      }
    });
  }

  private async tryCreate(): Promise<boolean> {
    try {
      await createProtected(this.client, this.path, this.data, { mode: CreateMode.EPHEMERAL });
    } catch (err) {
      if (err instanceof NodeExistsError) return false;
      throw err;
    }
    this.setHeld(true);
    return true;
  }

  private setHeld(held: boolean): void {
    this.held = held;
    this.stateSub?.unsubscribe();
    this.stateSub = undefined;
    if (held) {
      this.stateSub = this.client.state$.subscribe((state) => {
        if (isSessionEnd(state)) this.setHeld(false);
      });
    }
  }

  private assertNotHeld(): void {
    // Not re-entrant: a second acquire by the holder would wait for itself forever.
    if (this.held) throw new Error(`lock ${this.path} is already held by this SimpleLock`);
  }
}
