import { ZooKeeperConnection } from '@shepherd/coordination';

/**
 * Ties the connection to the Nest application's lifecycle. Nest calls these hooks on every
 * provider instance that has them, decorated or not.
 */
export class ZooKeeperLifecycle {
  constructor(private readonly connection: ZooKeeperConnection) {}

  /** The application starts only once the first session is open. */
  async onModuleInit(): Promise<void> {
    await this.connection.connect();
  }

  /**
   * Closes the session, so `app.close()` removes this process's ephemeral nodes at once. The
   * last shutdown phase: providers that clean up their znodes in onModuleDestroy or
   * beforeApplicationShutdown still have a session.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
