import { OpCode, Stat } from '@shepherd/zk-protocol';
import { WatchTrigger } from './watch-trigger';

/**
 * The outcome of applying one txn (DataTree.ProcessTxnResult). `err` is an ErrorCode (0 = ok).
 * `type` is the applied txn's type, OpCode.error for a failed op (FinalRequestProcessor builds
 * multi results from it). `stat` is set for creates, setData, setACL and check. `results` holds
 * one entry per sub-txn of a multi. `triggers` lists the watch events to fire, in order; for a
 * multi the top-level result carries all of them (fire only those; sub-results repeat their own).
 */
export interface ProcessTxnResult {
  type: OpCode;
  err: number;
  path?: string;
  stat?: Stat;
  results?: ProcessTxnResult[];
  triggers: WatchTrigger[];
}
