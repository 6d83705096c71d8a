import { hostname } from 'os';
import { DynamicModule, Module } from '@nestjs/common';
import { MasterEnv, connectionOptions, type Logger, zkAcl } from '@app/app-kit';
import { ZooKeeperModule } from '@app/coordination';
import { MasterModule } from '@app/taskqueue';
import { LeadershipLog } from './leadership-log';
import { APP_LOGGER } from './master-app.tokens';

/** MASTER_ID, or `<hostname>-<pid>`: unique per process, readable in GET /masters. */
export function masterId(env: MasterEnv): string {
  return env.MASTER_ID ?? `${hostname()}-${process.pid}`;
}

/**
 * The environment and the logger, given once by main.ts (or a test) and visible to every
 * module's factories: ZooKeeperModule and MasterModule read their options from them.
 */
@Module({})
class MasterConfigModule {
  static register(env: MasterEnv, logger: Logger): DynamicModule {
    return {
      module: MasterConfigModule,
      global: true,
      providers: [
        { provide: MasterEnv, useValue: env },
        { provide: APP_LOGGER, useValue: logger },
      ],
      exports: [MasterEnv, APP_LOGGER],
    };
  }
}

/**
 * The master app: no HTTP, just a session, a candidacy in the election and, while leading,
 * the assigner. MasterModule joins the election once the app has bootstrapped and resigns
 * before shutdown (its election node is deleted, so a backup takes over at once).
 */
@Module({})
export class MasterAppModule {
  static forEnv(env: MasterEnv, logger: Logger): DynamicModule {
    return {
      module: MasterAppModule,
      imports: [
        MasterConfigModule.register(env, logger),
        ZooKeeperModule.forRootAsync({
          isGlobal: true,
          inject: [MasterEnv],
          useFactory: (e: MasterEnv) => connectionOptions(e),
        }),
        MasterModule.forRootAsync({
          inject: [MasterEnv, APP_LOGGER],
          useFactory: (e: MasterEnv, log: Logger) => ({
            id: masterId(e),
            acl: zkAcl(e),
            logger: log.child({ component: 'master' }),
          }),
        }),
      ],
      providers: [LeadershipLog],
    };
  }
}
