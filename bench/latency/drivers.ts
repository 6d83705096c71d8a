/**
 * How each peer takes one task in and tells when it started and finished. Every time here is a
 * wall clock of this machine: the client's for the submit, the worker's for start and end
 * (Shepherd: the task's history; BullMQ: processedOn and finishedOn, stamped by its worker).
 */
import { runClosedLoop } from '../common/closed-loop';
import { BullPeer, ShepherdPeer } from '../throughput/peers';

/** The task type the throughput benchmark's workers already run: a no-op on both sides. */
const TYPE = 'noop';
const PAYLOAD = {};
/** Task reads in flight while collecting Shepherd's histories (as bench:throughput does). */
const READS_IN_FLIGHT = 64;

export interface TaskTimes {
  started?: number;
  done?: number;
  /** Shepherd: the first time of each history event (queued, assigned, started, completed). */
  events?: Record<string, number>;
}

export interface LatencyDriver {
  /** One task, one call (not a batch); resolves with its id. */
  submit(): Promise<string>;
  /** Tasks the peer has finished so far. */
  completed(): Promise<number>;
  /** Start and end times of the given tasks; a task not finished has no `done`. */
  times(ids: string[]): Promise<Map<string, TaskTimes>>;
}

export function shepherdDriver(peer: ShepherdPeer): LatencyDriver {
  const { client } = peer;
  return {
    submit: async () => (await client.submit(TYPE, PAYLOAD)).id,
    completed: async () => (await client.counts()).finished,
    times: async (ids) => {
      const out = new Map<string, TaskTimes>();
      await runClosedLoop(
        ids.length,
        READS_IN_FLIGHT,
        async (i) => {
          const view = await client.get(ids[i]);
          const events: Record<string, number> = {};
          for (const h of view.history) events[h.event] ??= h.at;
          // A start folded into its outcome still leaves its 'started' entry and startedAt.
          out.set(ids[i], {
            started: events.started ?? view.startedAt,
            done: view.state === 'done' ? (view.finishedAt ?? events.completed) : undefined,
            events,
          });
        },
        () => {},
      );
      return out;
    },
  };
}

export function bullDriver(peer: BullPeer): LatencyDriver {
  const { queue } = peer;
  return {
    submit: async () => (await queue.add(TYPE, PAYLOAD)).id!,
    completed: () => queue.getCompletedCount(),
    times: async () => {
      const out = new Map<string, TaskTimes>();
      const total = await queue.getCompletedCount();
      for (let start = 0; start < total; start += 1000) {
        const jobs = await queue.getJobs(['completed'], start, start + 999);
        for (const j of jobs)
          if (j.id) out.set(j.id, { started: j.processedOn, done: j.finishedOn });
      }
      // Jobs not completed (still waiting or active after the drain) keep their start, if any.
      for (const j of await queue.getJobs(['active', 'waiting', 'failed']))
        if (j.id && !out.has(j.id)) out.set(j.id, { started: j.processedOn });
      return out;
    },
  };
}
