import { Id, OpCode, Stat } from '@shepherd/zk-protocol';
import {
  DataTree,
  PrepConfig,
  ProcessTxnResult,
  Txn,
  TxnHeader,
  WriteRequest,
  prepRequestOrError,
} from '@shepherd/zk-server';

/**
 * A miniature of the server's write path for tests: prep against the tree, then apply under
 * the next zxid, the way ZooKeeper does (a failed write still consumes a zxid). Time is a
 * counter so tests are deterministic.
 */
export class TreeHarness {
  readonly tree = new DataTree();
  readonly log: { header: TxnHeader; txn: Txn }[] = [];
  zxid = 0n;
  time = 1_000n;

  constructor(readonly config: PrepConfig = { extendedTypesEnabled: true }) {}

  write(
    request: WriteRequest,
    session = 0x100n,
    authInfo: Id[] = [],
  ): { txn: Txn; result: ProcessTxnResult } {
    const txn = prepRequestOrError(
      {
        tree: this.tree,
        sessionId: session,
        authInfo,
        clientAddress: '127.0.0.1',
        config: this.config,
      },
      request,
    );
    const header: TxnHeader = {
      clientId: session,
      cxid: this.log.length,
      zxid: ++this.zxid,
      time: ++this.time,
      type: txn.type === OpCode.error ? OpCode.error : request.op,
    };
    this.log.push({ header, txn });
    return { txn, result: this.tree.processTxn(header, txn) };
  }

  /** A createSession txn: consumes a zxid, changes no node. */
  createSession(session = 0x100n): void {
    const header: TxnHeader = {
      clientId: session,
      cxid: 0,
      zxid: ++this.zxid,
      time: ++this.time,
      type: OpCode.createSession,
    };
    const txn: Txn = { type: OpCode.createSession, timeOut: 30000 };
    this.log.push({ header, txn });
    this.tree.processTxn(header, txn);
  }

  create(path: string, flags = 0, session = 0x100n, data = 'd'): ProcessTxnResult {
    return this.write(
      { op: OpCode.create2, path, data: Buffer.from(data), acl: openAcl(), flags },
      session,
    ).result;
  }

  stat(path: string): Stat {
    const s = this.tree.statOf(path);
    if (!s) throw new Error(`no node ${path}`);
    return s;
  }
}

export function openAcl() {
  return [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
}

/** A Stat with numbers instead of bigints, for readable expectations. */
export function plain(stat: Stat | undefined): Record<string, number> | undefined {
  if (!stat) return undefined;
  return Object.fromEntries(Object.entries(stat).map(([k, v]) => [k, Number(v)]));
}

/** Every node of a tree in walk order, for equality checks. */
export function dump(tree: DataTree): unknown[] {
  return [...tree.walk()].map((n) => ({ ...n, data: n.data?.toString('hex') }));
}

/** A restored node's stat with every field zero, but for `cversion`. */
export function zeroStat(cversion = 0) {
  return {
    czxid: 0n,
    mzxid: 0n,
    ctime: 0n,
    mtime: 0n,
    version: 0,
    cversion,
    aversion: 0,
    ephemeralOwner: 0n,
    pzxid: 0n,
  };
}

/** A tree of just the root, restored with the given raw cversion (the int-wrap cases). */
export function rootWithCversion(cversion: number): DataTree {
  const stat = zeroStat(cversion);
  return DataTree.restore([{ path: '/', data: Buffer.alloc(0), acl: openAcl(), stat }]);
}
