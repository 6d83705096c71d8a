import { CreateMode, ErrorCode, KeeperError, RequestACL, Stat } from '@shepherd/zk-protocol';

export interface CreateOptions {
  /**
   * Default OPEN_ACL_UNSAFE. An id or scheme may be null, as jute allows and kazoo sends for
   * empty strings; the server judges it (see RequestACL).
   */
  acl?: RequestACL[];
  mode?: CreateMode;
  /** Required (> 0) for the *_WITH_TTL modes; milliseconds. */
  ttl?: number | bigint;
}

/** One operation of a transaction, in client paths (Op.java). */
export type TransactionOp =
  | { type: 'create'; path: string; data: Buffer | null; options: CreateOptions }
  | { type: 'delete'; path: string; version: number }
  | { type: 'setData'; path: string; data: Buffer | null; version: number }
  | { type: 'check'; path: string; version: number };

/** Per-operation outcome (OpResult.java). `error` entries appear only in a failed commit. */
export type OpResult =
  | { type: 'create'; path: string; stat?: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'check' }
  | { type: 'error'; error: KeeperError };

/**
 * A multi that failed as a whole (ZooKeeper.multi throws the first failure's KeeperException).
 * `code` is the first real failure; `results` has one entry per op: the failing op carries its
 * error, the others RuntimeInconsistency (rolled back) or Ok (ZooKeeper reports ops before the
 * failure as succeeded-then-rolled-back).
 */
export class TransactionError extends KeeperError {
  constructor(
    code: ErrorCode,
    readonly results: OpResult[],
    path?: string,
  ) {
    super(code, path);
  }
}

export type CommitFn = (ops: TransactionOp[]) => Promise<OpResult[]>;

/**
 * A node's data as sent: null or undefined is null on the wire (length -1), which ZooKeeper
 * keeps and answers as null, apart from empty bytes (the Java client's `create(path, null,
 * ...)`); a string is its UTF-8 bytes.
 */
function toBuffer(data: Buffer | string | null | undefined): Buffer | null {
  if (data === null || data === undefined) return null;
  return typeof data === 'string' ? Buffer.from(data) : data;
}

/**
 * Fluent builder for an atomic multi (ZooKeeper.transaction() / Transaction.java). Nothing is
 * sent before commit(); all ops then succeed or none do.
 */
export class Transaction {
  private readonly ops: TransactionOp[] = [];

  constructor(private readonly commitFn: CommitFn) {}

  create(path: string, data?: Buffer | string | null, options: CreateOptions = {}): this {
    this.ops.push({ type: 'create', path, data: toBuffer(data), options });
    return this;
  }

  delete(path: string, version = -1): this {
    this.ops.push({ type: 'delete', path, version });
    return this;
  }

  setData(path: string, data: Buffer | string | null, version = -1): this {
    this.ops.push({ type: 'setData', path, data: toBuffer(data), version });
    return this;
  }

  check(path: string, version: number): this {
    this.ops.push({ type: 'check', path, version });
    return this;
  }

  get operations(): readonly TransactionOp[] {
    return this.ops;
  }

  commit(): Promise<OpResult[]> {
    return this.commitFn([...this.ops]);
  }
}

export { toBuffer as dataToBuffer };
