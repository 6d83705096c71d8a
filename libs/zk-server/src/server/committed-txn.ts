import { WatcherEvent } from '@shepherd/zk-protocol';
import { ProcessTxnResult } from '../data-tree/process-txn-result';
import { TxnHeader } from '../txn/txn';
import { ServerCnxn } from './server-cnxn';

/** A watch event for one connection, produced by applying a txn. */
export interface PendingNotification {
  cnxn: ServerCnxn;
  event: WatcherEvent;
}

/**
 * A txn that has been applied to the tree and handed to the log, not necessarily durable yet:
 * what FinalRequestProcessor works from (the request's header plus DataTree.ProcessTxnResult),
 * plus the watch events it fired, which are delivered just before its reply.
 */
export interface CommittedTxn {
  header: TxnHeader;
  result: ProcessTxnResult;
  notifications: PendingNotification[];
  /** Resolves once the log made the txn durable. */
  durable: Promise<void>;
}
