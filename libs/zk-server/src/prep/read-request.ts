import {
  BadArgumentsError,
  ErrorCode,
  Id,
  KeeperError,
  MultiResult,
  NoNodeError,
  OpCode,
  Perms,
  ReadOp,
  Request,
  Response,
} from '@shepherd/zk-protocol';
import { DIGEST_SCHEME } from '../acl/auth-info';
import { clientInfos } from '../acl/auth-providers';
import { checkACL, hasPermission } from '../acl/check-acl';
import { DataTree } from '../data-tree/data-tree';
import { effectiveAuthInfo } from './prep-request';

/** Requests answered from the tree without a txn (FinalRequestProcessor's read cases). */
export type ReadRequest = Extract<
  Request,
  {
    op:
      | OpCode.exists
      | OpCode.getData
      | OpCode.getChildren
      | OpCode.getChildren2
      | OpCode.getACL
      | OpCode.getAllChildrenNumber
      | OpCode.getEphemerals
      | OpCode.multiRead
      | OpCode.whoAmI
      | OpCode.sync;
  }
>;

export interface ReadContext {
  tree: DataTree;
  sessionId: bigint;
  authInfo: readonly Id[];
  clientAddress?: string;
  skipACL?: boolean;
}

const READ_OPS: ReadonlySet<OpCode> = new Set([
  OpCode.exists,
  OpCode.getData,
  OpCode.getChildren,
  OpCode.getChildren2,
  OpCode.getACL,
  OpCode.getAllChildrenNumber,
  OpCode.getEphemerals,
  OpCode.multiRead,
  OpCode.whoAmI,
  OpCode.sync,
]);

export function isReadRequest(request: { op: OpCode }): request is ReadRequest {
  return READ_OPS.has(request.op);
}

/**
 * Answers a read as FinalRequestProcessor does, or throws its KeeperError (with the path).
 * ACLs: getData/getChildren/getChildren2/getAllChildrenNumber need READ, getACL READ or ADMIN
 * (without ADMIN digest ids come back as "user:x"), exists/getEphemerals/whoAmI/sync none.
 *
 * Watches are the caller's job, with ZooKeeper's rules: exists registers its watch even when
 * it throws NoNode (an exist watch), getData/getChildren/getChildren2 only when they answer.
 */
export function answerRead(ctx: ReadContext, request: ReadRequest): Response {
  const authInfo = effectiveAuthInfo(ctx);
  const tree = ctx.tree;
  const check = (acl: Parameters<typeof checkACL>[0], perm: number, path: string) =>
    checkACL(acl, perm, authInfo, path, { skipACL: ctx.skipACL });
  const nodeOf = (path: string) => {
    const node = tree.getNode(path);
    if (!node) throw new NoNodeError(path);
    return node;
  };
  switch (request.op) {
    case OpCode.exists: {
      if (request.path.includes('\0')) throw new BadArgumentsError(request.path);
      return { op: OpCode.exists, stat: nodeOf(request.path).toStat() };
    }
    case OpCode.getData:
    case OpCode.getChildren:
      return readOne(ctx, authInfo, request as ReadOp);
    case OpCode.getChildren2: {
      const node = nodeOf(request.path);
      check(node.acl, Perms.READ, request.path);
      return { op: OpCode.getChildren2, children: node.encodedChildNames(), stat: node.toStat() };
    }
    case OpCode.getACL: {
      const path = request.path;
      const node = nodeOf(path);
      check(node.acl, Perms.READ | Perms.ADMIN, path);
      const admin = ctx.skipACL || hasPermission(node.acl, Perms.ADMIN, authInfo);
      const acl = node.acl.map((a) => ({
        perms: a.perms,
        id:
          !admin && a.id.scheme === DIGEST_SCHEME
            ? { scheme: a.id.scheme, id: a.id.id.replace(/:.*/s, ':x') }
            : { scheme: a.id.scheme, id: a.id.id },
      }));
      return { op: OpCode.getACL, acl, stat: node.toStat() };
    }
    case OpCode.getAllChildrenNumber: {
      const node = nodeOf(request.path);
      check(node.acl, Perms.READ, request.path);
      return {
        op: OpCode.getAllChildrenNumber,
        totalNumber: tree.getAllChildrenNumber(request.path),
      };
    }
    case OpCode.getEphemerals: {
      const prefix = request.prefixPath;
      const all = tree.getEphemerals(ctx.sessionId);
      const trimmed = prefix?.trim() ?? '';
      const ephemerals =
        trimmed === '' || trimmed === '/' ? all : all.filter((p) => p.startsWith(prefix));
      return { op: OpCode.getEphemerals, ephemerals };
    }
    case OpCode.multiRead: {
      // Each op answers on its own; a failure is an ErrorResult in its slot.
      const results: MultiResult[] = request.ops.map((op) => {
        // A missing node is the common failure here (clients probe where a node may be, as
        // the task queue does for a task's record): answer it without building an Error,
        // whose stack capture would cost more than the read.
        if (!tree.has(op.path)) return { op: OpCode.error, err: ErrorCode.NoNode };
        try {
          return readOne(ctx, authInfo, op);
        } catch (e) {
          if (e instanceof KeeperError) return { op: OpCode.error, err: e.code };
          throw e;
        }
      });
      return { op: OpCode.multiRead, results };
    }
    case OpCode.whoAmI:
      return { op: OpCode.whoAmI, clientInfo: clientInfos(authInfo) };
    case OpCode.sync:
      return { op: OpCode.sync, path: request.path };
  }
}

/** handleGetDataRequest / handleGetChildrenRequest. */
function readOne(
  ctx: ReadContext,
  authInfo: readonly Id[],
  op: ReadOp,
): Extract<Response, { op: OpCode.getData | OpCode.getChildren }> {
  const node = ctx.tree.getNode(op.path);
  if (!node) throw new NoNodeError(op.path);
  checkACL(node.acl, Perms.READ, authInfo, op.path, { skipACL: ctx.skipACL });
  if (op.op === OpCode.getData) {
    return { op: OpCode.getData, data: node.data, stat: node.toStat() };
  }
  return { op: OpCode.getChildren, children: node.encodedChildNames() };
}
