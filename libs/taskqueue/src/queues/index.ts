export * from './queue-settings';
export type { QueueView } from './queue-client';
export { getQueue, listQueues, readQueueCounts, setQueue } from './queue-client';
export * from './queue-counts';
