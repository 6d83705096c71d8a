import { randomUUID } from 'crypto';
import {
  CreateOptions,
  RetryOptions,
  RetryPolicy,
  ZooKeeperClient,
  isRetryable,
} from '@shepherd/zk-client';
import {
  CreateMode,
  NoNodeError,
  NodeExistsError,
  isEphemeral,
  isSequential,
} from '@shepherd/zk-protocol';
import { childPath, nameOf, parentOf } from './ensure-path';

/** Prefix of protected node names: `_c_<uuid>-<name>` (Curator's protected mode, kazoo's too). */
export const PROTECTED_PREFIX = '_c_';

export interface ProtectedCreateOptions extends CreateOptions {
  /** How ConnectionLoss is retried (default: 10 attempts, 100 ms doubling up to 2 s). */
  retry?: RetryOptions;
}

const DEFAULT_RETRY: RetryOptions = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2000 };

/**
 * create() that survives a lost reply (the "ConnectionLoss on create" rule of the ZooKeeper
 * book): a ConnectionLoss leaves the outcome unknown, so blindly creating again may leave a
 * second, orphaned node (sequential) or fail with NodeExists on our own node (non-sequential).
 *
 * - Sequential modes: the node is named `<parent>/_c_<uuid>-<name>`, so after a ConnectionLoss
 *   we list the parent and look for our uuid (and, for ephemerals, check that its
 *   ephemeralOwner is our session) before creating again.
 * - Other modes: after a ConnectionLoss we read the node back; it is ours if it is an ephemeral
 *   owned by our session, or (persistent) holds exactly our data. NodeExists on the retry is
 *   then success. For persistent nodes "same data" is the best evidence there is: another
 *   client writing identical bytes at the same path is indistinguishable.
 *
 * Session expiry: SessionExpiredError is not retried. An ephemeral created in the expired
 * session is gone with it; the caller must start over with a new session.
 *
 * Returns the path of the created node (relative to the client's chroot).
 */
export async function createProtected(
  client: ZooKeeperClient,
  path: string,
  data?: Buffer | string | null,
  opts: ProtectedCreateOptions = {},
): Promise<string> {
  const { retry, ...createOptions } = opts;
  const policy = new RetryPolicy({ ...DEFAULT_RETRY, ...retry });
  const mode = createOptions.mode ?? CreateMode.PERSISTENT;
  const ephemeral = isEphemeral(mode);
  // Set once a create may have been applied without us hearing back.
  let unknown = false;

  if (isSequential(mode)) {
    const parent = parentOf(path);
    const guid = `${PROTECTED_PREFIX}${randomUUID()}-`;
    const target = childPath(parent, guid + nameOf(path));
    return policy.run(async () => {
      if (unknown) {
        const found = await findByGuid(client, parent, guid, ephemeral);
        if (found !== undefined) return found;
      }
      try {
        return await client.create(target, data, createOptions);
      } catch (err) {
        if (isRetryable(err)) unknown = true;
        throw err;
      }
    });
  }

  const ours = toBuffer(data);
  return policy.run(async () => {
    if (unknown && (await isOurs(client, path, ours, ephemeral))) return path;
    try {
      return await client.create(path, data, createOptions);
    } catch (err) {
      if (isRetryable(err)) unknown = true;
      else if (
        err instanceof NodeExistsError &&
        unknown &&
        (await isOurs(client, path, ours, ephemeral))
      ) {
        return path;
      }
      throw err;
    }
  });
}

async function findByGuid(
  client: ZooKeeperClient,
  parent: string,
  guid: string,
  ephemeral: boolean,
): Promise<string | undefined> {
  let children: string[];
  try {
    children = await client.getChildren(parent);
  } catch (err) {
    if (err instanceof NoNodeError) return undefined;
    throw err;
  }
  const name = children.find((c) => c.startsWith(guid));
  if (name === undefined) return undefined;
  const path = childPath(parent, name);
  if (!ephemeral) return path;
  const stat = await client.exists(path);
  return stat !== null && stat.ephemeralOwner === client.sessionId ? path : undefined;
}

async function isOurs(
  client: ZooKeeperClient,
  path: string,
  data: Buffer | null,
  ephemeral: boolean,
): Promise<boolean> {
  try {
    const node = await client.getData(path);
    if (ephemeral) return node.stat.ephemeralOwner === client.sessionId;
    return node.data === null || data === null ? node.data === data : node.data.equals(data);
  } catch (err) {
    if (err instanceof NoNodeError) return false;
    throw err;
  }
}

/** What the create sends (null stays null, as the client sends it). */
function toBuffer(data: Buffer | string | null | undefined): Buffer | null {
  if (data === null || data === undefined) return null;
  return typeof data === 'string' ? Buffer.from(data) : data;
}

const SEQUENCE_SUFFIX = /\d{10}$/;

/** The counter ZooKeeper appended to a sequential node's name: its last 10 digits. */
export function sequenceOf(name: string): number {
  const m = SEQUENCE_SUFFIX.exec(name);
  if (m === null) throw new RangeError(`"${name}" has no 10-digit sequence suffix`);
  return Number(m[0]);
}

/** True if `name` ends with a 10-digit sequence counter. */
export function hasSequence(name: string): boolean {
  return SEQUENCE_SUFFIX.test(name);
}

/**
 * Sequential node names in creation order (by their counter, not by the whole name, since a
 * protected name starts with a random uuid). Names without a sequence suffix are left out.
 */
export function sortBySequence(names: readonly string[]): string[] {
  return names
    .filter(hasSequence)
    .sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}
