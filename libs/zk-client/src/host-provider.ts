import { HostAddress } from './connect-string';

/**
 * Round-robin over the servers in a shuffled order (StaticHostProvider.java). The shuffle spreads
 * clients across the ensemble; cycling means a lost server is followed by the next one. Once
 * every host has been tried since the last successful connection we ask the caller to back off
 * for `spinDelayMs`, so a dead ensemble is not hammered in a tight loop.
 */
export class HostProvider {
  private readonly hosts: HostAddress[];
  private index = -1;
  private triedSinceConnect = 0;

  constructor(
    hosts: readonly HostAddress[],
    shuffle = true,
    private readonly spinDelayMs = 1000,
    random: () => number = Math.random,
  ) {
    if (hosts.length === 0) throw new Error('no hosts');
    this.hosts = [...hosts];
    if (shuffle) {
      for (let i = this.hosts.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [this.hosts[i], this.hosts[j]] = [this.hosts[j], this.hosts[i]];
      }
    }
  }

  get size(): number {
    return this.hosts.length;
  }

  /** The next host and how long to wait before dialling it. */
  next(): { host: HostAddress; delayMs: number } {
    const delayMs = this.triedSinceConnect >= this.hosts.length ? this.spinDelayMs : 0;
    if (delayMs > 0) this.triedSinceConnect = 0;
    this.index = (this.index + 1) % this.hosts.length;
    this.triedSinceConnect++;
    return { host: this.hosts[this.index], delayMs };
  }

  /** A session was established: the next failure starts a fresh round. */
  onConnected(): void {
    this.triedSinceConnect = 0;
  }

  /** Current order (for diagnostics and tests). */
  list(): readonly HostAddress[] {
    return this.hosts;
  }
}
