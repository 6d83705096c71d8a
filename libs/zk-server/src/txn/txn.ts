import { ACL, OpCode } from '@shepherd/zk-protocol';

/**
 * What the server logs and applies: the outcome of a request decided in advance
 * (PrepRequestProcessor), so that applying it to the data tree is deterministic,
 * whether live or replayed from the log after a restart. Shapes follow the txn
 * module of zookeeper.jute.
 */

/** TxnHeader (zookeeper.jute): the session, its request's cxid, the assigned zxid, and when. */
export interface TxnHeader {
  clientId: bigint;
  cxid: number;
  zxid: bigint;
  /** ms since the epoch, from the server's clock at prep time; becomes ctime/mtime. */
  time: bigint;
  type: OpCode;
}

/** CreateTxn: a persistent or ephemeral node; an ephemeral's owner is the header's clientId. */
export interface CreateTxn {
  type: OpCode.create;
  path: string;
  /** Null when the request sent null (length -1): a node's data is null or bytes, as in ZooKeeper. */
  data: Buffer | null;
  acl: ACL[];
  ephemeral: boolean;
  /** The parent's cversion after this create (it also named a sequential node). */
  parentCVersion: number;
}

export interface CreateContainerTxn {
  type: OpCode.createContainer;
  path: string;
  data: Buffer | null;
  acl: ACL[];
  parentCVersion: number;
}

export interface CreateTTLTxn {
  type: OpCode.createTTL;
  path: string;
  data: Buffer | null;
  acl: ACL[];
  parentCVersion: number;
  ttl: bigint;
}

/** DeleteTxn; deleteContainer is the server's own removal of an empty container or expired TTL node. */
export interface DeleteTxn {
  type: OpCode.delete | OpCode.deleteContainer;
  path: string;
}

/** SetDataTxn: `version` is the node's version after the write. */
export interface SetDataTxn {
  type: OpCode.setData;
  path: string;
  data: Buffer | null;
  version: number;
}

/** SetACLTxn: `version` is the node's aversion after the write. */
export interface SetACLTxn {
  type: OpCode.setACL;
  path: string;
  acl: ACL[];
  version: number;
}

/** CheckVersionTxn: only inside a multi; changes nothing. */
export interface CheckVersionTxn {
  type: OpCode.check;
  path: string;
  version: number;
}

export interface CreateSessionTxn {
  type: OpCode.createSession;
  timeOut: number;
}

/** CloseSessionTxn: closeSession or expiry; removes the session's ephemerals. */
export interface CloseSessionTxn {
  type: OpCode.closeSession;
  paths2Delete: string[];
}

/** ErrorTxn: a failed op inside a multi (the whole multi then changes nothing). */
export interface ErrorTxn {
  type: OpCode.error;
  err: number;
}

/** MultiTxn: all or nothing. */
export interface MultiTxn {
  type: OpCode.multi;
  txns: Txn[];
}

export type Txn =
  | CreateTxn
  | CreateContainerTxn
  | CreateTTLTxn
  | DeleteTxn
  | SetDataTxn
  | SetACLTxn
  | CheckVersionTxn
  | CreateSessionTxn
  | CloseSessionTxn
  | ErrorTxn
  | MultiTxn;
