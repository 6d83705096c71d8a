export * from './queue-settings';
export type { QueueView } from './queue-client';
export { getQueue, listQueues, setQueue } from './queue-client';
export * from './queue-counts';
