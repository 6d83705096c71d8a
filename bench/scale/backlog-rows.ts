import { QueueCounts } from '@shepherd/taskqueue';
import { ScaleRow } from './scale-types';
import { Takeover } from './takeover';

/** The backlog part's targets, from the issue. */
export const RSS_TARGET_MB = 256;
export const TAKEOVER_TARGET_MS = 2000;

export interface BacklogMeasured {
  tasks: number;
  masterSessionTimeoutMs: number;
  submit: { startedAt: number; endedAt: number };
  workersReady: number;
  doneAtKill: number;
  takeover: Takeover;
  firstDoneAt: number;
  lastDoneAt: number;
  counts: QueueCounts;
  audit: { once: number; never: number; repeated: string[]; strangers: number };
  rss: {
    leaderIdle: number;
    leaderQueued: number;
    leaderDraining: number;
    newLeaderDraining: number;
    backupStandingBy: number;
    backupIdle: number;
  };
}

const int = (v: number) => Math.round(v).toLocaleString('en-US');
const rate = (tasks: number, ms: number) => `${int(tasks / (ms / 1000))} tasks/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The table rows of the backlog part (targets: RSS <= 256 MB, takeover <= 2 s after election). */
export function backlogRows(m: BacklogMeasured): ScaleRow[] {
  const row = (metric: string, value: string, target?: string, met?: boolean): ScaleRow => ({
    part: 'backlog',
    metric,
    value,
    ...(target === undefined ? {} : { target, met }),
  });
  const rss = (metric: string, mb: number) =>
    row(metric, `${mb.toFixed(0)} MB`, `<= ${RSS_TARGET_MB} MB`, mb <= RSS_TARGET_MB);
  const t = m.takeover;
  const takeoverMs = t.firstAssignedAt - t.electedAt;
  const submitMs = m.submit.endedAt - m.submit.startedAt;
  const correct =
    m.audit.once === m.tasks &&
    m.audit.repeated.length === 0 &&
    m.audit.strangers === 0 &&
    m.counts.finished === m.tasks &&
    m.counts.dead === 0;
  return [
    row(
      'submit rate (submitMany x 1,000, 4 in flight)',
      `${rate(m.tasks, submitMs)} (${secs(submitMs)})`,
    ),
    rss('leader RSS peak, backlog queued', m.rss.leaderQueued),
    rss('leader RSS peak, draining (first leader)', m.rss.leaderDraining),
    rss('leader RSS peak, draining (new leader)', m.rss.newLeaderDraining),
    row(
      'master RSS idle, before submitting (leader / backup)',
      `${m.rss.leaderIdle.toFixed(0)} / ${m.rss.backupIdle.toFixed(0)} MB`,
    ),
    row('backup RSS peak, standing by', `${m.rss.backupStandingBy.toFixed(0)} MB`),
    row(
      'drain rate, first to last completion',
      `${rate(m.tasks, m.lastDoneAt - m.firstDoneAt)} (${secs(m.lastDoneAt - m.firstDoneAt)})`,
    ),
    row(
      'drain rate, workers ready to last completion',
      rate(m.tasks, m.lastDoneAt - m.workersReady),
    ),
    row(
      `kill -9 -> backup elected (session timeout ${m.masterSessionTimeoutMs} ms)`,
      `${int(t.electedAt - t.killedAt)} ms`,
    ),
    row(
      `takeover: election -> first assignment (${int(m.tasks - m.doneAtKill)} not done at the kill)`,
      `${int(takeoverMs)} ms`,
      `<= ${int(TAKEOVER_TARGET_MS)} ms`,
      takeoverMs <= TAKEOVER_TARGET_MS,
    ),
    row(
      `takeover: state recovered (its log's ms, ${int(t.recoveredQueued)} queued)`,
      `${int(t.recoveredMs)} ms`,
    ),
    row(
      'tasks completed exactly once / expected',
      `${int(m.audit.once)} / ${int(m.tasks)}`,
      'all',
      correct,
    ),
  ];
}
