// Public surface of @shepherd/coordination: the session owner and the ZooKeeper recipes
// (protected create, election, locks, children cache). Framework-free: the Nest module and
// health indicator live in @shepherd/nestjs.
export type { ConnectionEvent } from './connection-event';
export { ConnectTimeoutError, ConnectionClosedError } from './connection-errors';
export {
  DEFAULT_SESSION_TIMEOUT_MS,
  ZooKeeperConnection,
  type ZooKeeperAuth,
  type ZooKeeperConnectionOptions,
} from './zookeeper-connection';
export { ensurePath } from './ensure-path';
export { waitUntilDeleted } from './node-deletion';
export {
  PROTECTED_PREFIX,
  createProtected,
  hasSequence,
  sequenceOf,
  sortBySequence,
  type ProtectedCreateOptions,
} from './protected-create';
export {
  LeaderElection,
  type ElectionCandidate,
  type LeaderElectionOptions,
} from './leader-election';
export { LockTimeoutError, type AcquireOptions } from './lock-acquire';
export { SimpleLock } from './simple-lock';
export { FairLock } from './fair-lock';
export {
  ChildrenCache,
  type CachedChild,
  type ChildEvent,
  type ChildrenCacheOptions,
} from './children-cache';
