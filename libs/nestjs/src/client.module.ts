import type { DynamicModule, Provider } from '@nestjs/common';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskQueueClient, TaskQueueClientOptions } from '@shepherd/taskqueue';
import {
  AsyncModuleOptions,
  RootModuleOptions,
  withAsyncOptions,
  withOptions,
} from './options-module';

// As in ZooKeeperModule (see there why): type imports only, factory providers with explicit
// `inject`, and an undecorated module class.

/** Everything but the connection, which is ZooKeeperModule's ZooKeeperConnection. */
export type TaskQueueClientModuleOptions = Omit<TaskQueueClientOptions, 'connection'>;

export type TaskQueueClientModuleAsyncOptions = AsyncModuleOptions<TaskQueueClientModuleOptions>;

export const TASKQUEUE_CLIENT_OPTIONS = 'TASKQUEUE_CLIENT_OPTIONS';

/** Ends the client's pending waits when the application shuts down (Nest calls this hook). */
export class TaskQueueClientLifecycle {
  constructor(private readonly client: TaskQueueClient) {}

  beforeApplicationShutdown(): void {
    this.client.close();
  }
}

/**
 * Built over the ZooKeeperConnection, not a fixed ZooKeeperClient, so the client carries on
 * after a session expiry. Nothing is read at construction.
 */
const PROVIDERS: Provider[] = [
  {
    provide: TaskQueueClient,
    useFactory: (connection: ZooKeeperConnection, options: TaskQueueClientModuleOptions) =>
      new TaskQueueClient({ ...options, connection }),
    inject: [ZooKeeperConnection, TASKQUEUE_CLIENT_OPTIONS],
  },
  {
    provide: TaskQueueClientLifecycle,
    useFactory: (client: TaskQueueClient) => new TaskQueueClientLifecycle(client),
    inject: [TaskQueueClient],
  },
];

/**
 * Provides TaskQueueClient. ZooKeeperConnection must be in scope: register ZooKeeperModule
 * with `isGlobal: true`, or pass it in `imports`.
 *
 *   ZooKeeperModule.forRoot({ connectString: 'localhost:2181/shepherd', isGlobal: true }),
 *   TaskQueueClientModule.forRoot(),
 */
export class TaskQueueClientModule {
  static forRoot(options: RootModuleOptions<TaskQueueClientModuleOptions> = {}): DynamicModule {
    return withOptions(clientModule(), TASKQUEUE_CLIENT_OPTIONS, options);
  }

  static forRootAsync(options: TaskQueueClientModuleAsyncOptions): DynamicModule {
    return withAsyncOptions(clientModule(), TASKQUEUE_CLIENT_OPTIONS, options);
  }
}

function clientModule(): DynamicModule {
  return { module: TaskQueueClientModule, providers: PROVIDERS, exports: [TaskQueueClient] };
}
