/**
 * One (peer, rate) cell: warm-up and window at the offered rate without a pause between them,
 * then the drain (every task finished, or a time limit), then the per-task times read back.
 */
import { readCpuUs } from '../coordinator/proc-stats';
import { ProgressBar } from '../common/progress';
import type { Peer } from '../throughput/peers';
import type { LatencyDriver } from './drivers';
import { runOpenLoop } from './open-loop';
import { LatencyRow, summarise } from './summary';

/** How often the completed count is read while tasks arrive (for the progress line only). */
const POLL_MS = 1000;
/** How often it is read while draining. */
const DRAIN_POLL_MS = 200;

export interface CellSettings {
  rate: number;
  warmupS: number;
  durationS: number;
  /** How long the drain may take before the unfinished tasks are counted as such. */
  drainTimeoutMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU µs so far of each process, to turn into a share of a core over the window. */
const cpuNow = (peer: Peer) => peer.processes.map((p) => readCpuUs(p.pid));
/** This process (the submitting client) counts as a role too: on 2 cores it competes. */
const CLIENT_ROLE = 'client';
const ownCpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

export async function measureCell(
  peer: Peer,
  driver: LatencyDriver,
  s: CellSettings,
  bar: ProgressBar,
  label: string,
): Promise<LatencyRow> {
  const base = await driver.completed();
  const first = s.rate * s.warmupS;
  const count = first + s.rate * s.durationS;
  let completed = 0;
  let reported = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      // Only the progress line uses it: a failed read waits for the next poll.
      completed = (await driver.completed().catch(() => base + completed)) - base;
      await sleep(POLL_MS);
    }
  })();

  // The CPU window opens when the first measured arrival is sent and closes with the last.
  let cpuFrom: { at: number; us: number[]; own: number } | undefined;
  let cpuTo: { at: number; us: number[]; own: number } | undefined;
  const arrivals = await runOpenLoop({
    rate: s.rate,
    count,
    submit: () => driver.submit(),
    onTick: (sent, pending) => {
      const snapshot = () => ({ at: Date.now(), us: cpuNow(peer), own: ownCpuUs() });
      if (sent > first && cpuFrom === undefined) cpuFrom = snapshot();
      if (sent === count && cpuTo === undefined) cpuTo = snapshot();
      const phase = sent <= first ? 'warm-up' : 'window';
      bar.tick(
        `${label} ${phase}, ${pending} submits in flight, ${completed} done`,
        sent - reported,
      );
      reported = sent;
    },
  }).finally(() => (polling = false));
  await poller;

  // One progress line per phase from here: the bar is full once the last task was sent.
  bar.tick(`${label} draining`, 0);
  const drainDeadline = Date.now() + s.drainTimeoutMs;
  for (;;) {
    completed = (await driver.completed()) - base;
    if (completed >= count || Date.now() > drainDeadline) break;
    await sleep(DRAIN_POLL_MS);
  }
  bar.tick(`${label} reading ${count} task times`, 0);
  const times = await driver.times(arrivals.ids);
  const from = arrivals.startedAt + s.warmupS * 1000;
  const to = from + s.durationS * 1000;
  const cpuPercent: Record<string, number> = {};
  if (cpuFrom && cpuTo && cpuTo.at > cpuFrom.at) {
    const spanUs = (cpuTo.at - cpuFrom.at) * 1000;
    for (const [i, p] of peer.processes.entries())
      cpuPercent[p.role] =
        (cpuPercent[p.role] ?? 0) + (100 * (cpuTo.us[i] - cpuFrom.us[i])) / spanUs;
    cpuPercent[CLIENT_ROLE] = (100 * (cpuTo.own - cpuFrom.own)) / spanUs;
    for (const role of Object.keys(cpuPercent)) cpuPercent[role] = Math.round(cpuPercent[role]);
  }
  return summarise(peer, s.rate, arrivals, times, { from, to, first }, cpuPercent);
}
