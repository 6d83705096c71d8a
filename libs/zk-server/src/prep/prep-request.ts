import {
  ACL,
  BadArgumentsError,
  BadVersionError,
  CheckVersionRequest,
  CloseSessionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  ErrorCode,
  Id,
  KeeperError,
  MultiOp,
  MultiRequest,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NotEmptyError,
  OpCode,
  Perms,
  Request,
  SetACLRequest,
  SetDataRequest,
  UnimplementedError,
  createModeFromFlag,
  isContainer,
  isEphemeral,
  isSequential,
  isTTL,
  isWriteOp,
} from '@shepherd/zk-protocol';
import { checkACL } from '../acl/check-acl';
import { IP_SCHEME } from '../acl/auth-info';
import { initialAuthInfo } from '../acl/auth-providers';
import { fixupACL } from '../acl/fixup-acl';
import { CONFIG_PATH, QUOTA_PATH, ZOOKEEPER_PATH } from '../data-tree/data-tree';
import {
  CONTAINER_EPHEMERAL_OWNER,
  EphemeralKind,
  ephemeralKind,
  isValidTtl,
  ttlToEphemeralOwner,
} from '../data-tree/ephemeral-type';
import {
  CheckVersionTxn,
  CloseSessionTxn,
  CreateContainerTxn,
  CreateTTLTxn,
  CreateTxn,
  DeleteTxn,
  ErrorTxn,
  MultiTxn,
  SetACLTxn,
  SetDataTxn,
  Txn,
} from '../txn/txn';
import { ChangeRecords } from './change-records';
import { validatePath } from './path-validation';
import { PrepContext } from './prep-context';
import { sequenceSuffix } from './sequential-name';
import { addAuthId } from '../acl/auth-info-order';

/** Requests that become a txn (PrepRequestProcessor.pRequest2Txn); the rest are reads. */
export type WriteRequest =
  | CreateRequest
  | CreateTTLRequest
  | DeleteRequest
  | SetDataRequest
  | SetACLRequest
  | CheckVersionRequest
  | MultiRequest
  | CloseSessionRequest;

/**
 * Whether a decoded request is a write (isWriteOp: ZooKeeper's Request.isQuorum). Of the write
 * opcodes, reconfig, deleteContainer and createSession never reach here as client requests: the
 * codec does not read them (see RequestProcessor), and the container manager prepares its
 * deleteContainer itself (prepDeleteContainer).
 */
export function isWriteRequest(request: Request): request is WriteRequest {
  return isWriteOp(request.op);
}

/**
 * PrepRequestProcessor: turns a write request into the txn that records its outcome,
 * validating it against the current tree and the caller's auth. The tree is not modified.
 *
 * Errors: a failing single op THROWS its KeeperError (errorFromCode classes, with the path).
 * ZooKeeper then still logs an ErrorTxn under a fresh zxid (the failed write consumes a zxid,
 * visible in later czxids) and replies with that error; prepRequestOrError does that mapping.
 * A multi never throws for an op failure: it returns a MultiTxn in which the first failing op
 * is an ErrorTxn with its code, every later op an ErrorTxn(RuntimeInconsistency), and earlier
 * ops keep their txns (DataTree.processTxn then applies none of them).
 */
export function prepRequest(ctx: PrepContext, request: WriteRequest): Txn {
  const prep = new Prep(ctx);
  if (request.op === OpCode.multi) return prep.multi(request.ops);
  if (request.op === OpCode.closeSession) return prep.closeSession();
  return prep.op(request);
}

/**
 * prepRequest, with a single op's KeeperError turned into the ErrorTxn ZooKeeper logs for it
 * (pRequest's catch: header type becomes OpCode.error, txn ErrorTxn(code)).
 */
export function prepRequestOrError(ctx: PrepContext, request: WriteRequest): Txn {
  try {
    return prepRequest(ctx, request);
  } catch (e) {
    if (e instanceof KeeperError) return { type: OpCode.error, err: e.code };
    throw e;
  }
}

/**
 * deleteContainer, issued by the container manager for an empty container or an expired TTL
 * node (pRequest2Txn case deleteContainer: no ACL or version check). Throws like prepRequest.
 */
export function prepDeleteContainer(ctx: PrepContext, path: string): DeleteTxn {
  const records = new ChangeRecords(ctx.tree);
  parentPathOf(path, true);
  const node = records.get(path);
  if (node.childCount > 0) throw new NotEmptyError(path);
  if (ephemeralKind(node.ephemeralOwner) === EphemeralKind.Normal) {
    throw new BadVersionError(path);
  }
  return { type: OpCode.deleteContainer, path };
}

/** The txn of a multi whose ops carry their own type; only used internally. */
type SingleOp = Exclude<WriteRequest, MultiRequest | CloseSessionRequest>;

class Prep {
  private readonly records: ChangeRecords;
  private readonly authInfo: readonly Id[];

  constructor(private readonly ctx: PrepContext) {
    this.records = new ChangeRecords(ctx.tree);
    this.authInfo = effectiveAuthInfo(ctx);
  }

  /**
   * The multi case of pRequest: each op is prepped against the tree plus the pending changes
   * of the ops before it; after the first failure the rest are not even tried.
   */
  multi(ops: readonly MultiOp[]): MultiTxn {
    const txns: Txn[] = [];
    let failed = false;
    for (const op of ops) {
      if (failed) {
        txns.push(errorTxn(ErrorCode.RuntimeInconsistency));
        continue;
      }
      try {
        txns.push(this.op(op));
      } catch (e) {
        if (!(e instanceof KeeperError)) throw e;
        failed = true;
        txns.push(errorTxn(e.code));
      }
    }
    return { type: OpCode.multi, txns };
  }

  op(request: SingleOp | MultiOp): Txn {
    switch (request.op) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL:
        return this.create(request);
      case OpCode.delete:
        return this.delete(request);
      case OpCode.setData:
        return this.setData(request);
      case OpCode.setACL:
        return this.setACL(request);
      case OpCode.check:
        return this.check(request);
    }
  }

  /** pRequest2TxnCreate, checks in ZooKeeper's order (so the same error wins). */
  private create(
    req: CreateRequest | CreateTTLRequest,
  ): CreateTxn | CreateContainerTxn | CreateTTLTxn {
    const mode = createModeFromFlag(req.flags);
    if (mode === undefined) throw new BadArgumentsError(req.path); // CreateMode.fromFlag
    const ttl = req.op === OpCode.createTTL ? req.ttl : -1n;
    // validateCreateRequest
    if (isTTL(mode) && !this.ctx.config?.extendedTypesEnabled)
      throw new UnimplementedError(req.path);
    if (isTTL(mode) ? !isValidTtl(ttl) : ttl >= 0n) throw new BadArgumentsError(req.path);
    // Deviation: ZooKeeper accepts createTTL with a non-TTL mode and ttl -1 and then fails to
    // apply it; refuse it up front.
    if (req.op === OpCode.createTTL && !isTTL(mode)) throw new BadArgumentsError(req.path);

    let path = req.path;
    const parentPath = parentPathOf(path, false); // validatePathForCreate
    const acl = fixupACL(path, this.authInfo, req.acl, this.ctx.config?.x509);
    const parent = this.records.get(parentPath);
    this.checkACL(parent.acl, Perms.CREATE, path);
    if (isSequential(mode)) path += sequenceSuffix(parent.cversion);
    validatePath(path);
    if (this.records.find(path)) throw new NodeExistsError(path);
    if (ephemeralKind(parent.ephemeralOwner) === EphemeralKind.Normal) {
      throw new NoChildrenForEphemeralsError(path);
    }
    const parentCVersion = (parent.cversion + 1) | 0;
    const data = req.data;

    const ephemeralOwner = isContainer(mode)
      ? CONTAINER_EPHEMERAL_OWNER
      : isTTL(mode)
        ? ttlToEphemeralOwner(ttl)
        : isEphemeral(mode)
          ? this.ctx.sessionId
          : 0n;
    this.records.set(parentPath, {
      ...parent,
      childCount: parent.childCount + 1,
      cversion: parentCVersion,
    });
    this.records.set(path, {
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner,
      childCount: 0,
      acl,
    });

    if (req.op === OpCode.createContainer) {
      return { type: OpCode.createContainer, path, data, acl, parentCVersion };
    }
    if (req.op === OpCode.createTTL) {
      return { type: OpCode.createTTL, path, data, acl, parentCVersion, ttl };
    }
    return {
      type: OpCode.create,
      path,
      data,
      acl,
      ephemeral: isEphemeral(mode),
      parentCVersion,
    };
  }

  /** pRequest2Txn case delete: parent DELETE permission, then existence, version, emptiness. */
  private delete(req: DeleteRequest): DeleteTxn {
    const path = req.path;
    const parentPath = parentPathOf(path, true);
    const parent = this.records.get(parentPath);
    this.checkACL(parent.acl, Perms.DELETE, path);
    const node = this.records.get(path);
    checkVersion(node.version, req.version, path);
    if (node.childCount > 0) throw new NotEmptyError(path);
    this.records.set(parentPath, { ...parent, childCount: parent.childCount - 1 });
    this.records.set(path, null);
    return { type: OpCode.delete, path };
  }

  private setData(req: SetDataRequest): SetDataTxn {
    const path = req.path;
    validatePath(path);
    const node = this.records.get(path);
    this.checkACL(node.acl, Perms.WRITE, path);
    const version = checkVersion(node.version, req.version, path);
    this.records.set(path, { ...node, version });
    return { type: OpCode.setData, path, data: req.data, version };
  }

  private setACL(req: SetACLRequest): SetACLTxn {
    const path = req.path;
    validatePath(path);
    const acl = fixupACL(path, this.authInfo, req.acl, this.ctx.config?.x509);
    const node = this.records.get(path);
    this.checkACL(node.acl, Perms.ADMIN, path);
    const version = checkVersion(node.aversion, req.version, path);
    this.records.set(path, { ...node, aversion: version, acl });
    return { type: OpCode.setACL, path, acl, version };
  }

  /** CheckVersionTxn carries the version plus one, as ZooKeeper's checkAndIncVersion does. */
  private check(req: CheckVersionRequest): CheckVersionTxn {
    const path = req.path;
    validatePath(path);
    const node = this.records.get(path);
    this.checkACL(node.acl, Perms.READ, path);
    return { type: OpCode.check, path, version: checkVersion(node.version, req.version, path) };
  }

  /** closeSession: the session's ephemerals go with it (paths2Delete). */
  closeSession(): CloseSessionTxn {
    return {
      type: OpCode.closeSession,
      paths2Delete: this.ctx.tree.getEphemerals(this.ctx.sessionId),
    };
  }

  private checkACL(acl: readonly ACL[], perm: number, path: string): void {
    checkACL(acl, perm, this.authInfo, path, { skipACL: this.ctx.config?.skipACL });
  }
}

/**
 * checkAndIncVersion (3.8): -1 matches any version; the new version is current + 1 in Java
 * int arithmetic (3.8 does not yet skip -1 on wrap-around, ZOOKEEPER-4743).
 */
function checkVersion(current: number, expected: number, path: string): number {
  if (expected !== -1 && expected !== current) throw new BadVersionError(path);
  return (current + 1) | 0;
}

const SPECIAL_PATHS: ReadonlySet<string> = new Set(['/', ZOOKEEPER_PATH, QUOTA_PATH, CONFIG_PATH]);

/**
 * validatePathForCreate / getParentPathAndValidate: BadArguments without a '/' or with a NUL
 * (and, for deletes, for the special paths /, /zookeeper, its quota and config). Only this
 * cheap check precedes the parent lookup; the full validatePath comes later, as in ZooKeeper.
 */
function parentPathOf(path: string, forDelete: boolean): string {
  const slash = typeof path === 'string' ? path.lastIndexOf('/') : -1;
  if (slash === -1 || path.includes('\0') || (forDelete && SPECIAL_PATHS.has(path))) {
    throw new BadArgumentsError(path);
  }
  // ZooKeeper's parent of "/x" is "", an alias of the root; ours is "/".
  return slash === 0 ? '/' : path.slice(0, slash);
}

function errorTxn(err: number): ErrorTxn {
  return { type: OpCode.error, err };
}

/** The connection's ids, plus ip:<clientAddress> when the caller did not already add one. */
export function effectiveAuthInfo(ctx: {
  authInfo: readonly Id[];
  clientAddress?: string;
}): readonly Id[] {
  if (ctx.clientAddress === undefined || ctx.authInfo.some((id) => id.scheme === IP_SCHEME)) {
    return ctx.authInfo;
  }
  const ids = initialAuthInfo(ctx.clientAddress);
  for (const id of ctx.authInfo) addAuthId(ids, id);
  return ids;
}
