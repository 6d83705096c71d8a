// Public surface of @shepherd/nestjs: the Nest integration of Shepherd, thin modules over the
// framework-free core (@shepherd/coordination, @shepherd/taskqueue), as @nestjs/bullmq is over
// BullMQ.
export { ZooKeeperModule } from './zookeeper.module';
export {
  toConnectionOptions,
  type ZooKeeperModuleAsyncOptions,
  type ZooKeeperModuleOptions,
} from './zookeeper-options';
export { DIGEST_SCHEME, ZOOKEEPER_OPTIONS } from './zookeeper.constants';
export {
  ZooKeeperHealthIndicator,
  type ZooKeeperHealthOptions,
  type ZooKeeperHealthResult,
} from './zookeeper-health.indicator';
export {
  MASTER_OPTIONS,
  MasterModule,
  type MasterModuleAsyncOptions,
  type MasterModuleOptions,
} from './master.module';
export {
  TASKQUEUE_WORKER_OPTIONS,
  TaskHandlerExplorer,
  WorkerModule,
  type WorkerModuleAsyncOptions,
  type WorkerModuleOptions,
} from './worker.module';
export { TASK_HANDLER_METADATA, TaskHandler, taskHandlerType } from './task-handler.decorator';
export {
  TaskQueueClientModule,
  TASKQUEUE_CLIENT_OPTIONS,
  type TaskQueueClientModuleOptions,
  type TaskQueueClientModuleAsyncOptions,
} from './client.module';
export { type AsyncModuleOptions, type RootModuleOptions } from './options-module';
