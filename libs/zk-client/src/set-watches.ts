import { OpCode, Request, Xid, encodeRequest } from '@shepherd/zk-protocol';
import { WatchKind, WatchRegistry } from './watch-registry';

/** ClientCnxn.SET_WATCHES_MAX_LENGTH: keep each packet well under jute.maxbuffer. */
export const SET_WATCHES_MAX_LENGTH = 128 * 1024;

/**
 * Re-arm every watch on a new connection (ClientCnxn.primeConnection). relativeZxid is the
 * last zxid we saw, so the server fires at once any watch whose node changed while we were
 * away. Paths are split into batches of about 128 KB; a batch uses the old setWatches unless
 * it carries persistent watches, which only setWatches2 (3.6+) can express.
 */
export function buildSetWatches(
  registry: WatchRegistry,
  relativeZxid: bigint,
  toServerPath: (path: string) => string,
): Buffer[] {
  const lists: Record<WatchKind, string[]> = {
    data: registry.paths('data').map(toServerPath),
    exist: registry.paths('exist').map(toServerPath),
    child: registry.paths('child').map(toServerPath),
    persistent: registry.paths('persistent').map(toServerPath),
    persistentRecursive: registry.paths('persistentRecursive').map(toServerPath),
  };
  const order: WatchKind[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];
  const frames: Buffer[] = [];
  let k = 0;
  let i = 0;
  while (k < order.length) {
    const batch: Record<WatchKind, string[]> = {
      data: [],
      exist: [],
      child: [],
      persistent: [],
      persistentRecursive: [],
    };
    let length = 0;
    // Like ClientCnxn, the last path may push a batch slightly past the limit.
    while (length < SET_WATCHES_MAX_LENGTH && k < order.length) {
      const list = lists[order[k]];
      if (i >= list.length) {
        k++;
        i = 0;
        continue;
      }
      const path = list[i++];
      batch[order[k]].push(path);
      length += Buffer.byteLength(path);
    }
    if (length === 0) break;
    const hasPersistent = batch.persistent.length > 0 || batch.persistentRecursive.length > 0;
    const request: Request = hasPersistent
      ? {
          op: OpCode.setWatches2,
          relativeZxid,
          dataWatches: batch.data,
          existWatches: batch.exist,
          childWatches: batch.child,
          persistentWatches: batch.persistent,
          persistentRecursiveWatches: batch.persistentRecursive,
        }
      : {
          op: OpCode.setWatches,
          relativeZxid,
          dataWatches: batch.data,
          existWatches: batch.exist,
          childWatches: batch.child,
        };
    frames.push(encodeRequest(Xid.SetWatches, request));
  }
  return frames;
}
