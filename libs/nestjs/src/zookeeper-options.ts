import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import { ZooKeeperAuth, ZooKeeperConnectionOptions } from '@shepherd/coordination';
import { DIGEST_SCHEME } from './zookeeper.constants';

/** ZooKeeperConnectionOptions, plus `auth: 'user:password'` as a shorthand for digest auth. */
export interface ZooKeeperModuleOptions extends Omit<ZooKeeperConnectionOptions, 'auth'> {
  auth?: string | ZooKeeperAuth[];
}

export interface ZooKeeperModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Register the providers globally (no need to import the module everywhere). */
  isGlobal?: boolean;
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => ZooKeeperModuleOptions | Promise<ZooKeeperModuleOptions>;
}

/** Module options -> connection options (expands the digest shorthand). */
export function toConnectionOptions(options: ZooKeeperModuleOptions): ZooKeeperConnectionOptions {
  const { auth, ...rest } = options;
  if (auth === undefined) return rest;
  return {
    ...rest,
    auth: typeof auth === 'string' ? [{ scheme: DIGEST_SCHEME, auth }] : auth,
  };
}
