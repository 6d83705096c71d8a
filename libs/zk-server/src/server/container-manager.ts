import { KeeperError } from '@shepherd/zk-protocol';
import { EphemeralKind, ephemeralKind, ttlOf } from '../data-tree/ephemeral-type';
import { prepDeleteContainer } from '../prep/prep-request';
import type { Clock, TimerHandle } from '@shepherd/zk-protocol';
import { ServerCore } from './server-core';

export interface ContainerManagerOptions {
  /** znode.container.checkIntervalMs. */
  checkIntervalMs: number;
  /** znode.container.maxPerMinute: deletions per minute at most. */
  maxPerMinute: number;
  clock: Clock;
}

/**
 * ContainerManager.java: every checkIntervalMs, deletes the containers that had children and
 * have none left (cversion > 0), and the childless TTL nodes not modified for longer than their
 * ttl, each by a deleteContainer txn (which re-checks emptiness, so a racing create wins).
 * The per-minute cap is applied per pass (ZooKeeper sleeps between deletions instead).
 */
export class ContainerManager {
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly core: ServerCore,
    private readonly options: ContainerManagerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pass (checkContainers); returns the paths it deleted. */
  checkContainers(): string[] {
    const deleted: string[] = [];
    if (this.core.isFailed) return deleted;
    const limit = Math.max(
      1,
      Math.ceil((this.options.maxPerMinute * this.options.checkIntervalMs) / 60000),
    );
    for (const path of this.candidates()) {
      if (deleted.length >= limit) break;
      let txn;
      try {
        txn = prepDeleteContainer({ tree: this.core.tree, sessionId: 0n, authInfo: [] }, path);
      } catch (err) {
        if (err instanceof KeeperError) continue; // no longer a candidate
        throw err;
      }
      const committed = this.core.commit(0n, 0, txn);
      this.core.releaseCommitted(committed, () => undefined);
      deleted.push(path);
    }
    return deleted;
  }

  /** ContainerManager.getCandidates. */
  candidates(): string[] {
    const tree = this.core.tree;
    const out: string[] = [];
    for (const path of tree.containers) {
      const node = tree.getNode(path);
      if (node && node.cversion > 0 && node.numChildren === 0) out.push(path);
    }
    const now = BigInt(this.options.clock.now());
    for (const path of tree.ttls) {
      const node = tree.getNode(path);
      if (!node || node.numChildren > 0) continue;
      if (ephemeralKind(node.ephemeralOwner) !== EphemeralKind.Ttl) continue;
      const ttl = ttlOf(node.ephemeralOwner);
      if (ttl !== 0n && now - node.mtime > ttl) out.push(path);
    }
    return out;
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.running) return;
      try {
        this.checkContainers();
      } catch (err) {
        this.core.reportError(err, 'container manager');
      }
      if (this.running) this.schedule();
    }, this.options.checkIntervalMs);
  }
}
