import { ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { ACL, CreateMode, NodeExistsError } from '@shepherd/zk-protocol';
import { waitUntilDeleted } from '@shepherd/coordination';
import { paths } from '../layout/paths';
import { retryingRead } from './read-back';
import { WorkerLogger } from './worker-options';

/** The JSON a worker keeps in /workers/<id>: what the master needs to assign to it. */
export interface WorkerNodeData {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  /** Tasks it may hold beyond concurrency, waiting for a slot. */
  prefetch: number;
  types: string[];
  /** When this incarnation registered (ms since the epoch). */
  since: number;
  /** Shutting down: assign nothing more. */
  draining: boolean;
}

/** Creates a persistent node unless it is there; safe to repeat after a lost reply. */
export async function ensureNode(client: ZooKeeperClient, path: string, acl: ACL[]) {
  for (;;) {
    try {
      await client.create(path, null, { acl, mode: CreateMode.PERSISTENT });
      return;
    } catch (err) {
      if (err instanceof NodeExistsError) return;
      if (!isRetryable(err)) throw err;
    }
  }
}

/**
 * Creates the ephemeral /workers/<id> for this session. NodeExists, or a lost reply, is read
 * back: a node owned by our session is ours (the create landed before the reply was lost);
 * one owned by another session is a previous incarnation of this worker whose session has not
 * ended yet (a restart faster than the session timeout). We wait for that node to go rather
 * than fight over it: the master ties assignments to the owner session, so two live
 * incarnations under one id would confuse it.
 */
export async function claimWorkerNode(
  client: ZooKeeperClient,
  info: WorkerNodeData,
  acl: ACL[],
  signal: AbortSignal,
  logger: WorkerLogger,
): Promise<void> {
  const path = paths.worker(info.id);
  const data = Buffer.from(JSON.stringify(info));
  for (;;) {
    signal.throwIfAborted();
    try {
      await client.create(path, data, { acl, mode: CreateMode.EPHEMERAL });
      return;
    } catch (err) {
      if (!(err instanceof NodeExistsError) && !isRetryable(err)) throw err;
    }
    const stat = await retryingRead(() => client.exists(path));
    if (stat === null) continue;
    if (stat.ephemeralOwner === client.sessionId) return;
    logger.warn(
      { workerId: info.id, owner: stat.ephemeralOwner.toString(16) },
      'another incarnation of this worker is still registered; waiting for its node to go',
    );
    await waitUntilDeleted(client, path, signal);
  }
}
