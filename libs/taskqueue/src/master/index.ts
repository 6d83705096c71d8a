// Public surface of the master role.
export { Master, type MasterCandidateInfo } from './master';
export {
  DEFAULT_MAX_BATCH,
  DEFAULT_PREFETCH,
  DEFAULT_RETENTION,
  type MasterLogger,
  type MasterOptions,
  type RetentionOptions,
} from './master-options';
export type { MasterStats } from './master-stats';
export { AssignmentPlanner, pickWorker, type WorkerLoad } from './assignment-policy';
export { selectForPruning, type RetentionLimits } from './retention-policy';
export { QueueGate, StartLog } from './queue-limits';
