import type { DynamicModule, ModuleMetadata, Provider } from '@nestjs/common';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { Master, MasterOptions } from '@shepherd/taskqueue';
import { AsyncModuleOptions, withAsyncOptions, withOptions } from './options-module';

// As in ZooKeeperModule (see there why), no runtime import of Nest here: type imports, factory
// providers with explicit `inject`, and an undecorated module class (a dynamic module carries
// its metadata itself).

/** Master options without the connection: the module injects ZooKeeperModule's. */
export type MasterModuleOptions = Omit<MasterOptions, 'connection'>;

export type MasterModuleAsyncOptions = Omit<AsyncModuleOptions<MasterModuleOptions>, 'isGlobal'>;

/** Injection token of the options given to MasterModule.forRoot / forRootAsync. */
export const MASTER_OPTIONS = Symbol('MASTER_OPTIONS');

/**
 * Ties the master to the application's lifecycle (Nest calls these hooks on every provider
 * instance that has them). It joins the election once the application has bootstrapped, and
 * resigns before shutdown while the session is still open (ZooKeeperModule closes it in the
 * last phase), so a backup takes over at once.
 */
export class MasterLifecycle {
  constructor(private readonly master: Master) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.master.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.master.stop();
  }
}

const PROVIDERS: Provider[] = [
  {
    provide: Master,
    useFactory: (options: MasterModuleOptions, connection: ZooKeeperConnection) =>
      new Master({ ...options, connection }),
    inject: [MASTER_OPTIONS, ZooKeeperConnection],
  },
  {
    provide: MasterLifecycle,
    useFactory: (master: Master) => new MasterLifecycle(master),
    inject: [Master],
  },
];

/**
 * Thin Nest wrapper around Master; needs ZooKeeperConnection in scope (ZooKeeperModule, global
 * or imported):
 *
 *   MasterModule.forRoot({ id: 'master-1' })
 *   MasterModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService],
 *     useFactory: (config: ConfigService) => ({ id: config.get('MASTER_ID') }) })
 */
export class MasterModule {
  static forRoot(options: MasterModuleOptions & Pick<ModuleMetadata, 'imports'>): DynamicModule {
    return withOptions(masterModule(), MASTER_OPTIONS, options);
  }

  static forRootAsync(options: MasterModuleAsyncOptions): DynamicModule {
    return withAsyncOptions(masterModule(), MASTER_OPTIONS, options);
  }
}

function masterModule(): DynamicModule {
  return { module: MasterModule, providers: PROVIDERS, exports: [Master] };
}
