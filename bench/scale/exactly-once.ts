import { readExecutions } from '../../test/support/taskqueue/exec-log';

export interface ExecutionAudit {
  /** Submitted tasks whose handler ended exactly once. */
  once: number;
  /** Submitted tasks whose handler never ended. */
  never: string[];
  /** Tasks whose handler started or ended more than once. */
  repeated: string[];
  /** Tasks in the log that were not submitted by this run. */
  strangers: string[];
}

/**
 * Checks the workers' execution log against the submitted ids: every task's handler started
 * and ended exactly once (a task run twice, e.g. handed to a second worker during the master's
 * failover, shows up here even though its record ends completed).
 */
export function auditExecutions(execLog: string, ids: string[]): ExecutionAudit {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const e of readExecutions(execLog)) {
    const counts = e.event === 'start' ? starts : e.event === 'end' ? ends : undefined;
    counts?.set(e.task, (counts.get(e.task) ?? 0) + 1);
  }
  const submitted = new Set(ids);
  const audit: ExecutionAudit = { once: 0, never: [], repeated: [], strangers: [] };
  for (const id of ids) {
    const s = starts.get(id) ?? 0;
    const e = ends.get(id) ?? 0;
    if (s > 1 || e > 1) audit.repeated.push(id);
    else if (e === 1) audit.once++;
    else audit.never.push(id);
  }
  audit.strangers = [...starts.keys()].filter((id) => !submitted.has(id));
  return audit;
}
