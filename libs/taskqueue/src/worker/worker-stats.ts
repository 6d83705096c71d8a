/** Counters since the worker was constructed, across sessions. */
export interface WorkerStats {
  /** Results stored in /status. */
  completed: number;
  /** Attempts that failed (thrown, timed out, unstorable result), whatever happened next. */
  failed: number;
  /** Of those, attempts that ran out of time. */
  timedOut: number;
  /** Tasks given back to the queue on shutdown. */
  handedBack: number;
  /** Writes refused because the assignment was no longer ours (zombie completions). */
  rejected: number;
  /** Assignments deleted under us (cancel, or the master took the task back). */
  revoked: number;
  /** Handlers aborted because the session ended. */
  sessionAborts: number;
  /** Sessions this worker registered with (1 + re-registrations after expiry). */
  registrations: number;
  /** Handlers running now, and assignments waiting for a free slot. */
  running: number;
  queued: number;
}

export type WorkerCounters = Omit<WorkerStats, 'running' | 'queued'>;

export function newCounters(): WorkerCounters {
  return {
    completed: 0,
    failed: 0,
    timedOut: 0,
    handedBack: 0,
    rejected: 0,
    revoked: 0,
    sessionAborts: 0,
    registrations: 0,
  };
}
