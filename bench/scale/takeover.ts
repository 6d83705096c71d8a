import { readFileSync, statSync } from 'node:fs';
import { TaskQueueClient } from '@shepherd/taskqueue';
import { waitFor } from '../../test/support/wait-for';
import { MasterProcess } from './backlog-cluster';
import { entryTimes, readTasks } from './task-times';

export interface Takeover {
  killedAt: number;
  /** The backup's own 'elected leader: taking over' log line (pino time, epoch ms). */
  electedAt: number;
  /** Its 'takeover: state recovered' line: when, and the ms and queued fields it reports. */
  recoveredAt: number;
  recoveredMs: number;
  recoveredQueued: number;
  /** The earliest `assigned` history entry at or after the election (the new leader's). */
  firstAssignedAt: number;
  /** How many tasks started after the kill were read to find it. */
  tasksRead: number;
}

/** Where the execution log ends now: the starts after the kill are read from here on. */
export const logOffset = (file: string): number => statSync(file).size;

function startsAfter(execLog: string, offset: number): string[] {
  const text = readFileSync(execLog).subarray(offset).toString('utf8');
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    const [event, task] = line.split(' ');
    if (event === 'start' && task) ids.add(task);
  }
  return [...ids];
}

/**
 * The backup's takeover after the leader's kill -9, from its own log and the task histories:
 * election (its log line) -> first assignment it wrote. The first tasks started after the kill
 * are the few the dead leader had already handed out (at most slots plus prefetch) and then the
 * new leader's first rounds, so the earliest `assigned` entry at or after the election among
 * the first `sample` of them is the new leader's first assignment.
 */
export async function measureTakeover(
  client: TaskQueueClient,
  backup: MasterProcess,
  killedAt: number,
  execLog: string,
  execOffset: number,
  sample: number,
  timeoutMs: number,
): Promise<Takeover> {
  const elected = await waitFor(
    `${backup.id} to log its election`,
    () => backup.log.find('elected leader', killedAt),
    { timeoutMs, intervalMs: 50 },
  );
  const recovered = await waitFor(
    `${backup.id} to recover the state`,
    () => backup.log.find('takeover: state recovered', elected.time),
    { timeoutMs, intervalMs: 50 },
  );
  const ids = await waitFor(
    `${sample} tasks to start after the takeover`,
    () => {
      const started = startsAfter(execLog, execOffset);
      return started.length >= sample ? started.slice(0, sample) : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
  const views = await readTasks(client, ids);
  const assigned = entryTimes(views, 'assigned', elected.time);
  if (assigned.length === 0)
    throw new Error(`no assignment after ${backup.id}'s election among ${ids.length} tasks`);
  return {
    killedAt,
    electedAt: elected.time,
    recoveredAt: recovered.time,
    recoveredMs: Number(recovered.ms),
    recoveredQueued: Number(recovered.queued),
    firstAssignedAt: Math.min(...assigned),
    tasksRead: ids.length,
  };
}
