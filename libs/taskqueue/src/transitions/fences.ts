import { TransactionOp } from '@shepherd/zk-client';
import { paths } from '../layout/paths';
import { checkOp } from './transition';

/**
 * The master's fence: its own election node must still exist. A master whose session expired
 * (and so lost leadership) has no node, and its multi fails whole with NoNode: nothing it
 * decided while deposed can land.
 */
export function leaderFence(electionNodePath: string): TransactionOp {
  return checkOp(electionNodePath);
}

/** The worker must still be registered: never assign to a worker that just died. */
export function workerFence(workerId: string): TransactionOp {
  return checkOp(paths.worker(workerId));
}
