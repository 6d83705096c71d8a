import type { DynamicModule, Provider } from '@nestjs/common';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { ZooKeeperHealthIndicator } from './zookeeper-health.indicator';
import { ZooKeeperLifecycle } from './zookeeper-lifecycle';
import {
  ZooKeeperModuleAsyncOptions,
  ZooKeeperModuleOptions,
  toConnectionOptions,
} from './zookeeper-options';
import { ZOOKEEPER_OPTIONS } from './zookeeper.constants';

// This package serves Nest 11 (CommonJS) and Nest 12 (ES modules only) from one CommonJS
// build, and its modules are built before the application loads Nest's. So it has no runtime
// import of Nest at all: type imports, factory providers with explicit `inject` instead of
// decorated classes, and an undecorated module class (a dynamic module carries all its
// metadata itself).

const SHARED_PROVIDERS: Provider[] = [
  {
    provide: ZooKeeperConnection,
    useFactory: (options: ZooKeeperModuleOptions) =>
      new ZooKeeperConnection(toConnectionOptions(options)),
    inject: [ZOOKEEPER_OPTIONS],
  },
  {
    // The *first* session's client. Building it opens that session (the same promise the
    // lifecycle's onModuleInit awaits), so whoever injects it gets a connected client. It is
    // not replaced after an expiry: code that must outlive a session injects
    // ZooKeeperConnection and follows `sessions$` (or reads `connection.client` each time).
    provide: ZooKeeperClient,
    useFactory: (connection: ZooKeeperConnection) => connection.connect(),
    inject: [ZooKeeperConnection],
  },
  {
    provide: ZooKeeperHealthIndicator,
    useFactory: (connection: ZooKeeperConnection) => new ZooKeeperHealthIndicator(connection),
    inject: [ZooKeeperConnection],
  },
  {
    provide: ZooKeeperLifecycle,
    useFactory: (connection: ZooKeeperConnection) => new ZooKeeperLifecycle(connection),
    inject: [ZooKeeperConnection],
  },
];

const EXPORTS = [ZooKeeperConnection, ZooKeeperClient, ZOOKEEPER_OPTIONS, ZooKeeperHealthIndicator];

/**
 * Thin Nest wrapper around ZooKeeperConnection. Provides the connection, the first session's
 * ZooKeeperClient, the options (ZOOKEEPER_OPTIONS) and ZooKeeperHealthIndicator. The first
 * session is open before the application starts, and closed on shutdown, so `app.close()`
 * removes this process's ephemeral nodes at once.
 *
 *   ZooKeeperModule.forRoot({ connectString: 'localhost:2181', auth: 'user:pass', isGlobal: true })
 *   ZooKeeperModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService],
 *     useFactory: (config: ConfigService) => ({ connectString: config.get('ZK') }) })
 */
export class ZooKeeperModule {
  static forRoot(options: ZooKeeperModuleOptions & { isGlobal?: boolean }): DynamicModule {
    return {
      module: ZooKeeperModule,
      global: options.isGlobal ?? false,
      providers: [{ provide: ZOOKEEPER_OPTIONS, useValue: options }, ...SHARED_PROVIDERS],
      exports: EXPORTS,
    };
  }

  static forRootAsync(options: ZooKeeperModuleAsyncOptions): DynamicModule {
    return {
      module: ZooKeeperModule,
      global: options.isGlobal ?? false,
      imports: options.imports ?? [],
      providers: [
        {
          provide: ZOOKEEPER_OPTIONS,
          useFactory: options.useFactory,
          inject: options.inject ?? [],
        },
        ...SHARED_PROVIDERS,
      ],
      exports: EXPORTS,
    };
  }
}
