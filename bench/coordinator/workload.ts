import { ZooKeeperClient } from '@shepherd/zk-client';
import { runClosedLoop } from '../common/closed-loop';

/**
 * The five operations of the coordinator benchmark, run in this order on one set of paths:
 * create makes the znodes the others use. `multi` is one transaction of three writes on a znode
 * `p` — create `p/m`, setData `p`, delete `p/m` — so it changes the tree like a real recipe does
 * (and leaves it as it found it, apart from versions).
 */
export type CoordinatorOp = 'create' | 'setData' | 'getData' | 'getChildren' | 'multi';
export const COORDINATOR_OPS: readonly CoordinatorOp[] = [
  'create',
  'setData',
  'getData',
  'getChildren',
  'multi',
];
export const WRITE_OPS: ReadonlySet<CoordinatorOp> = new Set(['create', 'setData', 'multi']);

function call(client: ZooKeeperClient, op: CoordinatorOp, path: string, payload: Buffer) {
  switch (op) {
    case 'create':
      return client.create(path, payload);
    case 'setData':
      return client.setData(path, payload);
    case 'getData':
      return client.getData(path);
    case 'getChildren':
      return client.getChildren(path);
    case 'multi':
      return client.multi([
        { type: 'create', path: `${path}/m`, data: payload, options: {} },
        { type: 'setData', path, data: payload, version: -1 },
        { type: 'delete', path: `${path}/m`, version: -1 },
      ]);
  }
}

/**
 * Runs one operation on every path with at most `inFlight` requests outstanding in total (a
 * closed loop: a new request goes out as soon as one completes). Request i goes to connection
 * i mod N, so the load is spread over every connection even with one request in flight.
 */
export function runWorkload(
  clients: readonly ZooKeeperClient[],
  op: CoordinatorOp,
  paths: readonly string[],
  inFlight: number,
  payload: Buffer,
  onDone: (n: number) => void,
): Promise<{ latencies: Float64Array; elapsedNs: number }> {
  return runClosedLoop(
    paths.length,
    inFlight,
    (i) => call(clients[i % clients.length], op, paths[i], payload),
    onDone,
  );
}

/** Unmeasured: deletes every path, many in flight, then the root. */
export async function deleteAll(
  clients: readonly ZooKeeperClient[],
  paths: readonly string[],
  root: string,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      await clients[i % clients.length].delete(paths[i]);
    }
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  await clients[0].delete(root);
}
