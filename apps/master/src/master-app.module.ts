import { hostname } from 'os';
import { MasterModule } from '@shepherd/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_LOGGER, MasterEnv, appCoreModules, type Logger, zkAcl } from '../../app-kit/src';
import { LeadershipLog } from './leadership-log';

/** MASTER_ID, or `<hostname>-<pid>`: unique per process, readable in GET /masters. */
export function masterId(env: MasterEnv): string {
  return env.MASTER_ID ?? `${hostname()}-${process.pid}`;
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
        ...appCoreModules(MasterEnv, env, logger),
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
