import { type HistoryEntry, toMs } from './wire.js';

/** One line of a task's timeline, as a person reads it. */
export interface TimelineItem {
  at: number;
  /** The history event the line starts from (a merged line keeps the first one). */
  event: string;
  text: string;
  /** Colours the line: something went wrong, a worker was lost, or the task finished. */
  tone: 'normal' | 'warn' | 'bad' | 'good';
  /** When the merged second entry happened (the assignment after a loss). */
  thenAt?: number;
}

/** "worker lost" -> "worker w1 lost"; another reason keeps its words after the id. */
function lossOf(worker: string | undefined, detail: string | undefined): string {
  const who = worker ?? '?';
  const reason = detail ?? 'worker lost';
  return reason.startsWith('worker ')
    ? `worker ${who} ${reason.slice('worker '.length)}`
    : `worker ${who} lost (${reason})`;
}

function single(entry: HistoryEntry): Omit<TimelineItem, 'at' | 'event'> {
  const on = entry.worker ? ` on ${entry.worker}` : '';
  const why = entry.detail ? `: ${entry.detail}` : '';
  switch (entry.event) {
    case 'queued':
      return { text: 'queued', tone: 'normal' };
    case 'assigned':
      return { text: `assigned to ${entry.worker ?? '?'}`, tone: 'normal' };
    case 'started':
      return { text: `started${on}`, tone: 'normal' };
    case 'completed':
      return { text: `completed${on}`, tone: 'good' };
    case 'failed':
      return { text: `failed${on}${why}`, tone: 'bad' };
    case 'timed-out':
      return { text: `timed out${on}${why}`, tone: 'bad' };
    case 'retry-scheduled':
      return { text: `retry scheduled${entry.detail ? ` ${entry.detail}` : ''}`, tone: 'warn' };
    case 'reassigned':
      return { text: `${lossOf(entry.worker, entry.detail)}, back in the queue`, tone: 'warn' };
    case 'handed-back':
      return { text: `handed back by ${entry.worker ?? '?'}${why}`, tone: 'warn' };
    case 'dead':
      return { text: `dead${why}`, tone: 'bad' };
    case 'cancelled':
      return { text: `cancelled${why}`, tone: 'warn' };
    case 'redriven':
      return { text: `redriven${entry.detail ? ` from ${entry.detail}` : ''}`, tone: 'normal' };
    default:
      return { text: `${entry.event}${on}${why}`, tone: 'normal' };
  }
}

/**
 * A task's history as timeline lines, oldest first. A worker loss (`reassigned`) or a hand-back
 * followed by the next `assigned` reads as one line: "worker X lost, reassigned to Y".
 */
export function timelineOf(history: readonly HistoryEntry[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (let i = 0; i < history.length; i++) {
    const entry = history[i];
    const next = history[i + 1];
    const at = toMs(entry.at);
    if (
      (entry.event === 'reassigned' || entry.event === 'handed-back') &&
      next?.event === 'assigned'
    ) {
      const from =
        entry.event === 'reassigned'
          ? lossOf(entry.worker, entry.detail)
          : `handed back by ${entry.worker ?? '?'}`;
      items.push({
        at,
        event: entry.event,
        text: `${from}, reassigned to ${next.worker ?? '?'}`,
        tone: 'warn',
        thenAt: toMs(next.at),
      });
      i++;
      continue;
    }
    items.push({ at, event: entry.event, ...single(entry) });
  }
  return items;
}
