import { randomBytes } from 'node:crypto';
import { ClientTlsOptions, ZooKeeperClient } from '@shepherd/zk-client';
import { ErrorCode, EventType, KeeperState } from '@shepherd/zk-protocol';

export interface WellBehavedStats {
  rounds: number;
  errors: string[];
}

/**
 * A correct client working beside the fuzzers, in a subtree they cannot guess: each round
 * creates a node, reads it back, sets a data watch, changes the data (the watch must fire
 * with NodeDataChanged before the new value is read), deletes it and checks it is gone. Any
 * error or wrong answer is recorded; none is expected, whatever the fuzzers do.
 */
export class WellBehavedClient {
  readonly stats: WellBehavedStats = { rounds: 0, errors: [] };
  private readonly root = `/wb-${randomBytes(8).toString('hex')}`;
  private running = false;
  private loop: Promise<void> | undefined;
  private zk: ZooKeeperClient | undefined;

  constructor(
    private readonly connectString: string,
    private readonly tls?: ClientTlsOptions,
  ) {}

  async start(): Promise<void> {
    const zk = new ZooKeeperClient(this.connectString, { sessionTimeout: 30000, tls: this.tls });
    this.zk = zk;
    zk.on('state', (s: KeeperState) => {
      if (this.running && s !== KeeperState.SyncConnected)
        this.error(`session event ${KeeperState[s] ?? s}`);
    });
    await zk.connect();
    await zk.create(this.root);
    this.running = true;
    this.loop = this.run(zk);
  }

  async stop(): Promise<WellBehavedStats> {
    this.running = false;
    await this.loop;
    try {
      // Fuzzers may have set an ACL on "/" that forbids deleting its children: the root is
      // theirs too, so only this client's own node is cleaned up when allowed.
      await this.zk?.delete(this.root).catch((err: unknown) => {
        if ((err as { code?: number }).code !== ErrorCode.NoAuth) throw err;
      });
      await this.zk?.close();
    } catch (err) {
      this.error(`cleanup: ${(err as Error).message}`);
    }
    return this.stats;
  }

  private error(what: string): void {
    if (this.stats.errors.length < 20) this.stats.errors.push(what);
    else this.stats.errors[19] = `... and more (last: ${what})`;
  }

  private async run(zk: ZooKeeperClient): Promise<void> {
    while (this.running) {
      try {
        await this.round(zk, this.stats.rounds);
        this.stats.rounds++;
      } catch (err) {
        this.error(`round ${this.stats.rounds}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private async round(zk: ZooKeeperClient, i: number): Promise<void> {
    const path = `${this.root}/n-${i}`;
    const first = Buffer.from(`v1-${i}`);
    const second = Buffer.from(`v2-${i}`);
    const created = await zk.create(path, first);
    if (created !== path) throw new Error(`create returned ${created}`);
    const read = await zk.getData(path);
    if (!read.data?.equals(first) || read.stat.version !== 0)
      throw new Error('getData mismatch after create');
    let fired: EventType | undefined;
    const watched = await zk.getData(path, (e) => {
      fired = e.type;
    });
    if (!watched.data?.equals(first)) throw new Error('watched getData mismatch');
    const stat = await zk.setData(path, second, 0);
    if (stat.version !== 1) throw new Error(`setData version ${stat.version}`);
    const after = await zk.getData(path);
    // The event is delivered before the reply of any later read (ZooKeeper ordering guarantee).
    if (fired !== EventType.NodeDataChanged) throw new Error(`watch gave ${fired} before the read`);
    if (!after.data?.equals(second) || after.stat.version !== 1)
      throw new Error('getData mismatch after setData');
    await zk.delete(path, 1);
    if ((await zk.exists(path)) !== null) throw new Error('node still exists after delete');
  }
}
