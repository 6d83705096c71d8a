import type { DynamicModule } from '@nestjs/common';
import { ZooKeeperModule } from '@shepherd/nestjs';
import type { CommonEnv } from './env';
import type { Logger } from './logger';
import { telemetryShutdownProvider } from './telemetry';
import { connectionOptions } from './zookeeper-setup';

/** Injection token of the app's pino logger. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/**
 * The environment (under its class) and the logger (under APP_LOGGER), given once by main.ts
 * (or a test) and visible to every module's factories. Undecorated, as ZooKeeperModule: a
 * dynamic module carries all its metadata itself, and this library imports no Nest at runtime.
 */
export class AppConfigModule {
  static register<E extends CommonEnv>(
    envClass: new () => E,
    env: E,
    logger: Logger,
  ): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [
        { provide: envClass, useValue: env },
        { provide: APP_LOGGER, useValue: logger },
        telemetryShutdownProvider(),
      ],
      exports: [envClass, APP_LOGGER],
    };
  }
}

/**
 * The first imports of an app's root module: AppConfigModule, and ZooKeeperModule (global)
 * connected as the environment says.
 */
export function appCoreModules<E extends CommonEnv>(
  envClass: new () => E,
  env: E,
  logger: Logger,
): DynamicModule[] {
  return [
    AppConfigModule.register(envClass, env, logger),
    ZooKeeperModule.forRootAsync({
      isGlobal: true,
      inject: [envClass],
      useFactory: (e: E) => connectionOptions(e),
    }),
  ];
}
