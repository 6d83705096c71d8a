import {
  RequestACL,
  CreateMode,
  ErrorCode,
  KeeperError,
  MultiOp,
  MultiResult,
  OPEN_ACL_UNSAFE,
  OpCode,
  ReadOp,
  Stat,
  errorFromCode,
  isContainer,
  isTTL,
  stringsOf,
} from '@shepherd/zk-protocol';
import { Chroot } from './chroot';
import { CreateOptions, OpResult, TransactionError, TransactionOp } from './transaction';

/** One read of a multiRead (ZooKeeper.multiRead with Op.getChildren / Op.getData). */
export type ReadRequest = { type: 'getChildren'; path: string } | { type: 'getData'; path: string };
export type ReadResult = { children: string[] } | { data: Buffer | null; stat: Stat } | KeeperError;

/** create / create2 / createContainer / createTTL, as ZooKeeper.create picks them. */
export function createRequest(
  path: string,
  data: Buffer | null,
  options: CreateOptions,
  withStat: boolean,
): MultiOp & { op: OpCode.create | OpCode.create2 | OpCode.createContainer | OpCode.createTTL } {
  const mode = options.mode ?? CreateMode.PERSISTENT;
  const acl: RequestACL[] = options.acl ?? OPEN_ACL_UNSAFE;
  if (isTTL(mode)) {
    // EphemeralType.TTL: a positive TTL is mandatory for the TTL modes (and only for them).
    const ttl = options.ttl === undefined ? 0n : BigInt(options.ttl);
    if (ttl <= 0n) throw new RangeError('a TTL create mode needs ttl > 0');
    return { op: OpCode.createTTL, path, data, acl, flags: mode, ttl };
  }
  if (options.ttl !== undefined) throw new RangeError('ttl is only valid with a TTL create mode');
  const op = isContainer(mode) ? OpCode.createContainer : withStat ? OpCode.create2 : OpCode.create;
  return { op, path, data, acl, flags: mode };
}

/** Transaction ops in client paths -> MultiOp records in server paths. */
export function toMultiOps(ops: readonly TransactionOp[], chroot: Chroot): MultiOp[] {
  return ops.map((o): MultiOp => {
    const path = chroot.toServer(o.path);
    switch (o.type) {
      case 'create':
        return createRequest(path, o.data, o.options, false);
      case 'delete':
        return { op: OpCode.delete, path, version: o.version };
      case 'setData':
        return { op: OpCode.setData, path, data: o.data, version: o.version };
      case 'check':
        return { op: OpCode.check, path, version: o.version };
    }
  });
}

/**
 * MultiResponse -> OpResult[]; throws TransactionError when any op failed. On failure the
 * server reports every op as an error: Ok for those before the culprit, the real code for it,
 * RuntimeInconsistency for the rest (DataTree.processTxn), so "first real failure" skips both.
 */
export function toOpResults(
  ops: readonly TransactionOp[],
  results: readonly MultiResult[],
  chroot: Chroot,
): OpResult[] {
  let failure: { code: ErrorCode; path: string } | undefined;
  const out = results.map((r, i): OpResult => {
    const path = ops[i]?.path;
    switch (r.op) {
      case OpCode.create:
        return { type: 'create', path: chroot.toClient(r.path) };
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
        return { type: 'create', path: chroot.toClient(r.path), stat: r.stat };
      case OpCode.delete:
        return { type: 'delete' };
      case OpCode.setData:
        return { type: 'setData', stat: r.stat };
      case OpCode.check:
        return { type: 'check' };
      case OpCode.error:
        if (
          failure === undefined &&
          r.err !== ErrorCode.Ok &&
          r.err !== ErrorCode.RuntimeInconsistency
        ) {
          failure = { code: r.err, path };
        }
        return { type: 'error', error: errorFromCode(r.err, path) };
      default:
        throw new Error(`unexpected multi result op ${r.op}`);
    }
  });
  if (out.some((r) => r.type === 'error')) {
    const code = failure?.code ?? ErrorCode.RuntimeInconsistency;
    throw new TransactionError(code, out, failure?.path);
  }
  return out;
}

export function toReadOps(ops: readonly ReadRequest[], chroot: Chroot): ReadOp[] {
  return ops.map((o) => ({
    op: o.type === 'getChildren' ? OpCode.getChildren : OpCode.getData,
    path: chroot.toServer(o.path),
    watch: false,
  }));
}

export function toReadResults(
  ops: readonly ReadRequest[],
  results: readonly MultiResult[],
): ReadResult[] {
  return results.map((r, i) => {
    switch (r.op) {
      case OpCode.getChildren:
        return { children: stringsOf(r.children) };
      case OpCode.getData:
        return { data: r.data, stat: r.stat };
      case OpCode.error:
        return errorFromCode(r.err, ops[i]?.path);
      default:
        throw new Error(`unexpected multiRead result op ${r.op}`);
    }
  });
}
