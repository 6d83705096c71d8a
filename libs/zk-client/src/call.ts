import { ErrorCode, KeeperError, OpCode, Response, errorFromCode } from '@shepherd/zk-protocol';
import { InFlight } from './connection';
import { WatchKind, WatchRegistry } from './watch-registry';
import { Watcher } from './watcher';

/**
 * A watch to register once the request succeeds (ZooKeeper.java WatchRegistration). `exists`
 * decides its table from the reply: data watch if the node exists, exist watch on NoNode.
 */
export interface WatchSpec {
  kind: WatchKind | 'exists';
  /** Client (chroot-relative) path: the registry is keyed like the events it dispatches. */
  path: string;
  watcher: Watcher;
}

/** One request from submission to reply. A class, so the hot path allocates a single object. */
export class Call implements InFlight {
  xid = 0;

  constructor(
    readonly op: OpCode,
    /** Client path, for error messages. */
    readonly path: string | undefined,
    private readonly resolve: (response: Response | undefined) => void,
    private readonly reject: (err: KeeperError) => void,
    readonly watch?: WatchSpec,
  ) {}

  /** Settle from a reply header; registers the watch first so no event can slip past it. */
  complete(err: number, response: Response | undefined, registry: WatchRegistry): void {
    const watch = this.watch;
    if (watch !== undefined) {
      if (watch.kind === 'exists') {
        // ExistsWatchRegistration.getWatches: NoNode is a successful exists that armed an
        // exist-watch; Ok armed a data watch.
        if (err === ErrorCode.Ok) registry.add('data', watch.path, watch.watcher);
        else if (err === ErrorCode.NoNode) registry.add('exist', watch.path, watch.watcher);
      } else if (err === ErrorCode.Ok) {
        registry.add(watch.kind, watch.path, watch.watcher);
      }
    }
    if (err === ErrorCode.Ok) {
      this.resolve(response);
    } else if (err === ErrorCode.NoNode && this.op === OpCode.exists) {
      this.resolve(undefined);
    } else if (
      response !== undefined &&
      (this.op === OpCode.multi || this.op === OpCode.multiRead)
    ) {
      // A failed multi still carries per-op results; the client turns them into TransactionError.
      this.resolve(response);
    } else {
      this.reject(errorFromCode(err, this.path));
    }
  }

  fail(err: KeeperError): void {
    this.reject(err);
  }
}
