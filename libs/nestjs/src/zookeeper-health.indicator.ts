import { ZooKeeperConnection } from '@shepherd/coordination';

/**
 * What isHealthy() resolves with: the shape of @nestjs/terminus's HealthIndicatorResult,
 * `{ [key]: { status, ...details } }`, written out here so this package needs no Terminus
 * (it is assignable to Terminus's type where a HealthCheckService takes it).
 */
export type ZooKeeperHealthResult<Key extends string = 'zookeeper'> = Record<
  Key,
  { status: 'up' | 'down'; [detail: string]: unknown }
>;

export interface ZooKeeperHealthOptions {
  /** The round trip must answer within this many ms. Default 1000. */
  timeoutMs?: number;
}

/**
 * Terminus health indicator for the ZooKeeper session, for a HealthCheckService endpoint:
 *
 *   @Get('health') @HealthCheck()
 *   check() { return this.health.check([() => this.zk.isHealthy('zookeeper')]); }
 *
 * Up when the session is connected and a cheap round trip (`exists('/')`) answers within
 * `timeoutMs`; details: client state, session id (hex), negotiated session timeout and the
 * round-trip time. Down otherwise (a disconnected or expired session, a slow or failing server),
 * so the endpoint answers 503. The result has the shape HealthIndicatorService's up()/down()
 * build, `{ [key]: { status, ...details } }`, written out directly (ZooKeeperHealthResult);
 * HealthCheckService reads only that.
 */
export class ZooKeeperHealthIndicator {
  constructor(private readonly connection: ZooKeeperConnection) {}

  async isHealthy<const Key extends string = 'zookeeper'>(
    key: Key = 'zookeeper' as Key,
    options: ZooKeeperHealthOptions = {},
  ): Promise<ZooKeeperHealthResult<Key>> {
    const timeoutMs = options.timeoutMs ?? 1000;
    if (!this.connection.isConnected()) {
      return this.result(key, 'down', { ...this.details(), message: 'not connected' });
    }
    const client = this.connection.client;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.exists('/'),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer from ZooKeeper within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      return this.result(key, 'down', { ...this.details(), message: (err as Error).message });
    } finally {
      clearTimeout(timer);
    }
    const rttMs = Math.round((performance.now() - started) * 100) / 100;
    return this.result(key, 'up', { ...this.details(), rttMs });
  }

  private details(): Record<string, unknown> {
    let client;
    try {
      client = this.connection.client;
    } catch {
      return { state: 'NOT_CONNECTED' };
    }
    return {
      state: client.state,
      sessionId: `0x${client.sessionId.toString(16)}`,
      sessionTimeoutMs: client.sessionTimeout,
    };
  }

  private result<Key extends string>(
    key: Key,
    status: 'up' | 'down',
    details: Record<string, unknown>,
  ): ZooKeeperHealthResult<Key> {
    return { [key]: { ...details, status } } as ZooKeeperHealthResult<Key>;
  }
}
