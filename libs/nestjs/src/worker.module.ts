import type {
  BeforeApplicationShutdown,
  DynamicModule,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskHandlerFn, Worker, WorkerOptions } from '@shepherd/taskqueue';
import {
  AsyncModuleOptions,
  RootModuleOptions,
  withAsyncOptions,
  withOptions,
} from './options-module';
import { taskHandlerType } from './task-handler.decorator';

// As in ZooKeeperModule (see there why), nothing here imports Nest at load time: type imports,
// factory providers with explicit `inject`, an undecorated module class. The discovery classes
// are the one exception: they are injection tokens, so they are required when a module is
// built, i.e. inside a Nest application, where @nestjs/core is loaded anyway.
function nestCore(): typeof import('@nestjs/core') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@nestjs/core') as typeof import('@nestjs/core');
}

/**
 * WorkerOptions without the connection, which comes from ZooKeeperModule. `closeConnection`
 * defaults to false here: ZooKeeperModule owns the session and closes it on shutdown.
 */
export type WorkerModuleOptions = Omit<WorkerOptions, 'connection'>;

export type WorkerModuleAsyncOptions = AsyncModuleOptions<WorkerModuleOptions>;

export const TASKQUEUE_WORKER_OPTIONS = Symbol('TASKQUEUE_WORKER_OPTIONS');

/**
 * Finds the @TaskHandler methods of every singleton provider once the application is built,
 * hands them to the Worker and starts it; stops it gracefully before the application shuts
 * down, while ZooKeeperModule's session is still open (it closes in onApplicationShutdown).
 * Nest calls these hooks on every provider instance that has them, decorated or not.
 */
export class TaskHandlerExplorer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly worker: Worker,
  ) {}

  /** [type, method bound to its instance] for every decorated method, in discovery order. */
  explore(): [string, TaskHandlerFn][] {
    const found: [string, TaskHandlerFn][] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      // Request-scoped and transient providers have no single instance to bind a handler to.
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[name];
        const type = taskHandlerType(method);
        if (type !== undefined) found.push([type, (method as TaskHandlerFn).bind(instance)]);
      }
    }
    return found;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const [type, handler] of this.explore()) this.worker.handle(type, handler);
    await this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}

function workerModule(): DynamicModule {
  const { DiscoveryModule, DiscoveryService, MetadataScanner } = nestCore();
  return {
    module: WorkerModule,
    imports: [DiscoveryModule],
    providers: [
      {
        provide: Worker,
        inject: [ZooKeeperConnection, TASKQUEUE_WORKER_OPTIONS],
        useFactory: (connection: ZooKeeperConnection, options: WorkerModuleOptions) =>
          new Worker({ closeConnection: false, ...options, connection }),
      },
      {
        provide: TaskHandlerExplorer,
        inject: [DiscoveryService, MetadataScanner, Worker],
        useFactory: (discovery: DiscoveryService, scanner: MetadataScanner, worker: Worker) =>
          new TaskHandlerExplorer(discovery, scanner, worker),
      },
    ],
    exports: [Worker],
  };
}

/**
 * Runs a Worker inside a Nest application. Handlers are the @TaskHandler methods of any
 * provider, merged with `handlers` given as plain functions (a type registered twice is an
 * error). Needs ZooKeeperConnection in scope: import ZooKeeperModule globally or through
 * `imports`. Call `app.enableShutdownHooks()` so that SIGTERM drains the worker.
 *
 *   WorkerModule.forRoot({ id: 'resizer-1', concurrency: 4 })
 *   WorkerModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ ... }) })
 */
export class WorkerModule {
  static forRoot(options: RootModuleOptions<WorkerModuleOptions> = {}): DynamicModule {
    return withOptions(workerModule(), TASKQUEUE_WORKER_OPTIONS, options);
  }

  static forRootAsync(options: WorkerModuleAsyncOptions): DynamicModule {
    return withAsyncOptions(workerModule(), TASKQUEUE_WORKER_OPTIONS, options);
  }
}
