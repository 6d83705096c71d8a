/**
 * An open-loop submitter: tasks arrive one by one at a fixed rate, whether or not the peer keeps
 * up. A closed loop (a new call once one answers) slows down with the system it measures and so
 * hides queueing; here a slow peer shows as growing latency and a growing number of calls in
 * flight, which is what a fixed offered load does to a real queue.
 */

/** How often the timer wakes to send the tasks that came due: 5 ms keeps bursts small. */
const TICK_MS = 5;

export interface OpenLoopSettings {
  /** Tasks per second. */
  rate: number;
  /** Tasks in all: arrival i is due at start + i / rate. */
  count: number;
  /** One task, one call; resolves with the peer's id for it. */
  submit: (i: number) => Promise<string>;
  /** After each tick: how many calls were sent so far and how many have not answered yet. */
  onTick?: (sent: number, inFlight: number) => void;
}

export interface Arrivals {
  /** Client clock (ms since the epoch) when the loop started: arrival 0 is due then. */
  startedAt: number;
  /** Client clock right before each task's submit call, in arrival order. */
  sentAt: Float64Array;
  /** How late each call left against its due time (ms): the submitter's own lag, not the peer's. */
  lagMs: Float64Array;
  /** How long each call took to answer (ms): the peer's acknowledgement of the new task. */
  ackMs: Float64Array;
  ids: string[];
  /** Most submit calls unanswered at once. */
  maxInFlight: number;
}

/** Sends every arrival on time (as far as the event loop allows); resolves once all answered. */
export function runOpenLoop(s: OpenLoopSettings): Promise<Arrivals> {
  const sentAt = new Float64Array(s.count);
  const lagMs = new Float64Array(s.count);
  const ackMs = new Float64Array(s.count);
  const ids = new Array<string>(s.count);
  const startedAt = Date.now();
  let sent = 0;
  let answered = 0;
  let maxInFlight = 0;
  let failed = false;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (failed) return;
      const due = Math.min(s.count, Math.floor(((Date.now() - startedAt) * s.rate) / 1000) + 1);
      while (sent < due) {
        const i = sent++;
        const now = Date.now();
        sentAt[i] = now;
        lagMs[i] = Math.round(now - (startedAt + (i * 1000) / s.rate));
        maxInFlight = Math.max(maxInFlight, sent - answered);
        // Not awaited: the next arrival does not wait for this one's answer.
        s.submit(i).then(
          (id) => {
            ids[i] = id;
            ackMs[i] = Date.now() - sentAt[i];
            if (++answered === s.count)
              resolve({ startedAt, sentAt, lagMs, ackMs, ids, maxInFlight });
          },
          (err: unknown) => {
            failed = true;
            clearInterval(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      }
      if (sent === s.count) clearInterval(timer);
      s.onTick?.(sent, sent - answered);
    };
    const timer = setInterval(tick, TICK_MS);
    tick();
  });
}
