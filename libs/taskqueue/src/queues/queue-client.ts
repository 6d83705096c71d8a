import { BadVersionError, NoNodeError, NodeExistsError } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { TaskQueueError } from '../errors';
import { ROOTS, paths } from '../layout/paths';
import { ClientContext } from '../client/client-options';
import { readWorkers } from '../client/cluster-info';
import { retrying } from '../client/session-retry';
import { ANY_TYPE } from '../master/assignment-policy';
import {
  QueueSettings,
  QueueSettingsPatch,
  applyQueuePatch,
  checkQueueType,
  decodeQueueSettings,
  encodeQueueSettings,
  isQueueType,
  validateQueuePatch,
} from './queue-settings';
import { QueueCountsData, decodeQueueCounts } from './queue-counts';

/** One task type's queue as callers see it. */
export interface QueueView {
  type: string;
  paused: boolean;
  /** Most tasks of the type assigned or running at once, cluster-wide; null: no cap. */
  concurrency: number | null;
  /** Most assignments of the type started per window; null: no limit. */
  rateLimit: { max: number; perMs: number } | null;
  /** Most tasks of one group of the type running at once; null: no cap. */
  groupConcurrency: number | null;
  /** Live workers (not draining) that declared the type, or take any type. */
  workers: number;
  /**
   * Queued tasks of the type, as the leading master last counted them (null before a leader
   * published counts). The leader knows a task's type once it read its record: in a backlog
   * deeper than it has read, the rest is counted in `unclassified`.
   */
  queued: number | null;
  /** Tasks of the type assigned or running, as the leader last counted them (null: no count). */
  running: number | null;
  /** Queued tasks of any type the leader has not read yet (null: no count). */
  unclassified: number | null;
  /** When the leader counted (epoch ms; null: no count). */
  countedAt: number | null;
}

interface Found {
  settings: QueueSettings;
  version: number;
}

async function readSettings(client: ZooKeeperClient, type: string): Promise<Found | undefined> {
  try {
    const node = await client.getData(paths.queue(type));
    return { settings: decodeQueueSettings(node.data), version: node.stat.version };
  } catch (err) {
    if (err instanceof NoNodeError) return undefined;
    throw err;
  }
}

function toView(
  type: string,
  settings: QueueSettings,
  workers: number,
  counts: QueueCountsData | undefined,
): QueueView {
  const mine = counts?.types[type];
  return {
    type,
    paused: settings.paused === true,
    concurrency: settings.concurrency ?? null,
    rateLimit: settings.rateLimit ?? null,
    groupConcurrency: settings.groupConcurrency ?? null,
    workers,
    queued: counts === undefined ? null : (mine?.queued ?? 0),
    running: counts === undefined ? null : (mine?.running ?? 0),
    unclassified: counts?.unclassified ?? null,
    countedAt: counts?.at ?? null,
  };
}

/** The leader's last per-type counts, from the data of /queues; undefined before any. */
export async function readQueueCounts(
  client: ZooKeeperClient,
): Promise<QueueCountsData | undefined> {
  try {
    return decodeQueueCounts((await client.getData(ROOTS.queues)).data);
  } catch (err) {
    if (err instanceof NoNodeError) return undefined;
    throw err;
  }
}

async function servingCount(client: ZooKeeperClient, type: string): Promise<number> {
  const workers = await readWorkers(client);
  return workers.filter(
    (w) => !w.draining && (w.types.includes(type) || w.types.includes(ANY_TYPE)),
  ).length;
}

/** Every type with settings or served by a live worker, by type. */
export async function listQueues(ctx: ClientContext): Promise<QueueView[]> {
  return retrying(ctx.connection, ctx.clock, async (client) => {
    let names: string[] = [];
    try {
      names = await client.getChildren(ROOTS.queues);
    } catch (err) {
      if (!(err instanceof NoNodeError)) throw err;
    }
    const [workers, counts] = await Promise.all([readWorkers(client), readQueueCounts(client)]);
    const served = new Set<string>();
    for (const w of workers) for (const t of w.types) if (t !== ANY_TYPE) served.add(t);
    // Types with tasks count too: a type nobody serves is worth seeing most of all.
    const counted = Object.keys(counts?.types ?? {}).filter((t) => isQueueType(t));
    const types = [...new Set([...names, ...served, ...counted])].sort();
    const found = await Promise.all(types.map((t) => readSettings(client, t)));
    return types.map((t, i) =>
      toView(
        t,
        found[i]?.settings ?? {},
        workers.filter((w) => !w.draining && (w.types.includes(t) || w.types.includes(ANY_TYPE)))
          .length,
        counts,
      ),
    );
  });
}

/** One type's settings (defaults when none were set) and how many live workers serve it. */
export async function getQueue(ctx: ClientContext, type: string): Promise<QueueView> {
  checkQueueType(type);
  return retrying(ctx.connection, ctx.clock, async (client) => {
    const [found, workers, counts] = await Promise.all([
      readSettings(client, type),
      servingCount(client, type),
      readQueueCounts(client),
    ]);
    return toView(type, found?.settings ?? {}, workers, counts);
  });
}

/**
 * Changes a type's settings: a versioned read-modify-write (compare-and-set), read again and
 * re-applied when another writer changed the node meanwhile, so neither loses the other's fields.
 */
export async function setQueue(
  ctx: ClientContext,
  type: string,
  patch: QueueSettingsPatch,
): Promise<QueueView> {
  checkQueueType(type);
  validateQueuePatch(patch);
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = await retrying(ctx.connection, ctx.clock, (c) => readSettings(c, type));
    const next = applyQueuePatch(found?.settings ?? {}, patch);
    const bytes = encodeQueueSettings(next);
    try {
      await retrying(ctx.connection, ctx.clock, async (client) => {
        if (found === undefined) return createSettings(ctx, client, type, bytes);
        try {
          await client.setData(paths.queue(type), bytes, found.version);
        } catch (err) {
          // After a lost reply, our own write shows as the next version with our data.
          if (!(err instanceof BadVersionError)) throw err;
          const now = await readSettings(client, type);
          if (now && JSON.stringify(now.settings) === JSON.stringify(next)) return;
          throw err;
        }
      });
      const [workers, counts] = await retrying(ctx.connection, ctx.clock, (c) =>
        Promise.all([servingCount(c, type), readQueueCounts(c)]),
      );
      return toView(type, next, workers, counts);
    } catch (err) {
      if (!(
        err instanceof BadVersionError ||
        err instanceof NodeExistsError ||
        err instanceof NoNodeError
      ))
        throw err;
    }
  }
  throw new TaskQueueError(`queue ${type} settings kept changing; not updated`);
}

async function createSettings(
  ctx: ClientContext,
  client: ZooKeeperClient,
  type: string,
  bytes: Buffer,
): Promise<void> {
  const opts = { acl: ctx.acl };
  try {
    await client.create(paths.queue(type), bytes, opts);
    return;
  } catch (err) {
    if (err instanceof NodeExistsError) {
      // A retry after a lost reply may find its own node.
      const now = await readSettings(client, type);
      if (now && now.settings && encodeQueueSettings(now.settings).equals(bytes)) return;
      throw err;
    }
    if (!(err instanceof NoNodeError)) throw err;
  }
  // A tree laid out before queue settings existed: make the root, then try again.
  await client.create(ROOTS.queues, null, opts).catch((e: unknown) => {
    if (!(e instanceof NodeExistsError)) throw e;
  });
  await client.create(paths.queue(type), bytes, opts);
}
