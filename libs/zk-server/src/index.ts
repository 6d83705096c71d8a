export * from './txn/txn';
export { systemClock } from './server/system-clock';
export type { Clock, TimerHandle } from '@shepherd/zk-protocol';
export * from './sessions/expiry-queue';
export * from './sessions/session';
export * from './sessions/session-id';
export * from './sessions/session-password';
export * from './sessions/session-timeout';
export * from './sessions/session-tracker';
export * from './watches/watcher-mode';
export * from './watches/path-parents';
export * from './watches/watch-reports';
export * from './watches/watch-manager';
export * from './watches/set-watches';
export * from './watches/data-tree-watches';
export * from './data-tree/watch-trigger';
export * from './data-tree/persisted-stat';
export * from './data-tree/data-node';
export * from './data-tree/data-tree';
export { NodeCursor, type SnapshotNode } from './data-tree/snapshot-walk';
export * from './data-tree/ephemeral-type';
export * from './data-tree/process-txn-result';
export * from './acl/auth-info';
export * from './acl/auth-info-order';
export * from './acl/digest';
export * from './acl/ip-auth';
export * from './acl/auth-providers';
export * from './acl/x509';
export * from './acl/check-acl';
export * from './acl/fixup-acl';
export * from './prep/path-validation';
export * from './prep/sequential-name';
export * from './prep/prep-context';
export * from './prep/prep-request';
export * from './prep/read-request';
export * from './persistence/sync-fs';
export * from './persistence/txn-codec';
export * from './persistence/txn-log';
export * from './persistence/snapshot';
export {
  SNAPSHOT_END_MAGIC,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
  SnapshotFormatError,
} from './persistence/snapshot-format';
export type {
  LoadedSnapshot,
  PersistedNode,
  PersistedNodeStat,
  SessionEntry,
  SnapshotContent,
  SnapshotCursor,
  SnapshotNodeSource,
} from './persistence/snapshot-content';
export { SnapshotEncoder, serializeSnapshot } from './persistence/snapshot-encoder';
export { parseSnapshot } from './persistence/snapshot-decoder';
export * from './persistence/recovery';
export * from './persistence/purge';
export * from './persistence/txn-snap-log';
export { makeLogName, makeSnapshotName } from './persistence/file-names';
export { type LogDamage } from './persistence/txn-log-format';
export * from './server/txn-log-sink';
export * from './server/server-config';
export * from './server/server-cnxn';
export * from './server/committed-txn';
export * from './server/reply-barrier';
export * from './server/server-core';
export * from './server/write-response';
export * from './server/request-processor';
export * from './server/connection';
export * from './server/container-manager';
export * from './server/zk-server';
export * from './tls/tls-listener';
export * from './server/durable-state';
export * from './four-letter';
export * from './tls/throwaway-ca';
