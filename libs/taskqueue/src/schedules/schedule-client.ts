import { BadVersionError, NoNodeError, NodeExistsError } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { InvalidTaskError, TaskQueueError } from '../errors';
import { ROOTS, paths } from '../layout/paths';
import { ClientContext } from '../client/client-options';
import { retrying } from '../client/session-retry';
import { nextFireTimes } from './fire-times';
import {
  ScheduleData,
  SchedulePatch,
  ScheduleSpec,
  ScheduleTask,
  ScheduledTaskRef,
  MissedPolicy,
  decodeSchedule,
  encodeSchedule,
  isScheduleName,
  newScheduleData,
  patchScheduleData,
} from './schedule';

/** No schedule of that name (404 at the REST edge). */
export class ScheduleNotFoundError extends TaskQueueError {
  constructor(readonly scheduleName: string) {
    super(`schedule ${scheduleName} not found`);
  }
}

/** A schedule of that name exists already (409). */
export class ScheduleExistsError extends TaskQueueError {
  constructor(readonly scheduleName: string) {
    super(`schedule ${scheduleName} already exists`);
  }
}

/** Fire times shown in a schedule's view. */
export const NEXT_FIRE_TIMES_SHOWN = 5;

/** A schedule as callers see it. */
export interface ScheduleView {
  name: string;
  cron?: string;
  every?: number;
  timezone?: string;
  missed: MissedPolicy;
  paused: boolean;
  task: ScheduleTask;
  createdAt: number;
  updatedAt: number;
  /** The last fire time a task was created for. */
  lastFireAt?: number;
  /** The next fire times (none while paused), epoch ms. */
  nextFireTimes: number[];
  /** The last tasks it created, newest first. */
  lastTasks: ScheduledTaskRef[];
}

export function toScheduleView(data: ScheduleData, now: number): ScheduleView {
  const view: ScheduleView = {
    name: data.name,
    missed: data.missed,
    paused: data.paused === true,
    task: data.task,
    createdAt: data.createdAt,
    updatedAt: data.updatedAt,
    nextFireTimes: data.paused
      ? []
      : nextFireTimes(
          data,
          Math.max(now, data.since, data.lastFireAt ?? -Infinity),
          NEXT_FIRE_TIMES_SHOWN,
        ),
    lastTasks: data.lastTasks ?? [],
  };
  if (data.cron !== undefined) view.cron = data.cron;
  if (data.every !== undefined) view.every = data.every;
  if (data.timezone !== undefined) view.timezone = data.timezone;
  if (data.lastFireAt !== undefined) view.lastFireAt = data.lastFireAt;
  return view;
}

function checkName(name: unknown): string {
  if (!isScheduleName(name)) throw new ScheduleNotFoundError(String(name));
  return name;
}

async function read(
  client: ZooKeeperClient,
  name: string,
): Promise<{ data: ScheduleData; version: number } | undefined> {
  try {
    const node = await client.getData(paths.schedule(name));
    const data = decodeSchedule(node.data);
    if (data === undefined) throw new TaskQueueError(`schedule ${name} is not readable`);
    return { data, version: node.stat.version };
  } catch (err) {
    if (err instanceof NoNodeError) return undefined;
    throw err;
  }
}

/** Creates a schedule; ScheduleExistsError when the name is taken. */
export async function createSchedule(
  ctx: ClientContext,
  spec: ScheduleSpec,
): Promise<ScheduleView> {
  const data = newScheduleData(spec, ctx.clock.now());
  const bytes = encodeSchedule(data);
  const opts = { acl: ctx.acl };
  await retrying(ctx.connection, ctx.clock, async (client) => {
    try {
      await client.create(paths.schedule(data.name), bytes, opts);
    } catch (err) {
      if (err instanceof NodeExistsError) {
        // A retry after a lost reply finds its own node: same data means it is ours.
        const found = await read(client, data.name);
        if (found && JSON.stringify(found.data) === JSON.stringify(data)) return;
        throw new ScheduleExistsError(data.name);
      }
      if (!(err instanceof NoNodeError)) throw err;
      // A tree laid out before schedules existed: make the root, then try again.
      await client.create(ROOTS.schedules, null, opts).catch((e: unknown) => {
        if (!(e instanceof NodeExistsError)) throw e;
      });
      await client.create(paths.schedule(data.name), bytes, opts).catch((e: unknown) => {
        throw e instanceof NodeExistsError ? new ScheduleExistsError(data.name) : e;
      });
    }
  });
  return toScheduleView(data, ctx.clock.now());
}

/** Every schedule, by name. */
export async function listSchedules(ctx: ClientContext): Promise<ScheduleView[]> {
  return retrying(ctx.connection, ctx.clock, async (client) => {
    let names: string[];
    try {
      names = await client.getChildren(ROOTS.schedules);
    } catch (err) {
      if (err instanceof NoNodeError) return [];
      throw err;
    }
    const found = await Promise.all(
      names.sort().map((n) => read(client, n).catch(() => undefined)),
    );
    const now = ctx.clock.now();
    return found
      .filter((f): f is { data: ScheduleData; version: number } => f !== undefined)
      .map((f) => toScheduleView(f.data, now));
  });
}

export async function getSchedule(ctx: ClientContext, name: string): Promise<ScheduleView> {
  checkName(name);
  const found = await retrying(ctx.connection, ctx.clock, (c) => read(c, name));
  if (!found) throw new ScheduleNotFoundError(name);
  return toScheduleView(found.data, ctx.clock.now());
}

/** Changes a schedule: a versioned read-modify-write, again if the leader fired meanwhile. */
export async function updateSchedule(
  ctx: ClientContext,
  name: string,
  patch: SchedulePatch,
): Promise<ScheduleView> {
  checkName(name);
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw new InvalidTaskError('a schedule update must be an object');
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = await retrying(ctx.connection, ctx.clock, (c) => read(c, name));
    if (!found) throw new ScheduleNotFoundError(name);
    const next = patchScheduleData(found.data, patch, ctx.clock.now());
    try {
      await retrying(ctx.connection, ctx.clock, async (client) => {
        try {
          await client.setData(paths.schedule(name), encodeSchedule(next), found.version);
        } catch (err) {
          // After a lost reply, our own write shows as the next version with our data.
          if (!(err instanceof BadVersionError)) throw err;
          const now = await read(client, name);
          if (now && JSON.stringify(now.data) === JSON.stringify(next)) return;
          throw err;
        }
      });
      return toScheduleView(next, ctx.clock.now());
    } catch (err) {
      if (err instanceof NoNodeError) throw new ScheduleNotFoundError(name);
      if (!(err instanceof BadVersionError)) throw err;
    }
  }
  throw new TaskQueueError(`schedule ${name} kept changing; not updated`);
}

/** Deletes a schedule; the tasks it created stay. */
export async function deleteSchedule(ctx: ClientContext, name: string): Promise<void> {
  checkName(name);
  let deleted = false;
  await retrying(ctx.connection, ctx.clock, async (client) => {
    try {
      await client.delete(paths.schedule(name), -1);
      deleted = true;
    } catch (err) {
      if (!(err instanceof NoNodeError)) throw err;
    }
  });
  // A retry after a lost reply may find it gone by our own delete; report only a clear miss.
  if (!deleted) throw new ScheduleNotFoundError(name);
}
