// Public surface of @shepherd/zk-client. Everything a consumer may use is re-exported here.
export { ZooKeeperClient, type ClientOptions } from './zookeeper-client';
export { ClientState, isAlive, isConnected } from './client-state';
export type { Watcher, WatchedEvent } from './watcher';
export type { Transport, TransportFactory } from './transport';
export {
  type ClientTlsOptions,
  TcpTransport,
  tcpTransportFactory,
  tlsTransportFactory,
} from './tcp-transport';
export { systemClock } from './system-clock';
export type { Clock, TimerHandle } from '@shepherd/zk-protocol';
export { Heartbeat, type HeartbeatTarget } from './heartbeat';
export {
  DEFAULT_PORT,
  parseConnectString,
  type ConnectString,
  type HostAddress,
} from './connect-string';
export { HostProvider } from './host-provider';
export { Chroot, invalidPathReason } from './chroot';
export { RetryPolicy, isRetryable, withRetry, type RetryOptions } from './retry';
export {
  Transaction,
  TransactionError,
  type CreateOptions,
  type OpResult,
  type TransactionOp,
} from './transaction';
export type { ReadRequest, ReadResult } from './multi-results';
export { WatchRegistry, type WatchKind } from './watch-registry';
export { PendingQueue } from './pending-queue';
