import { drawChart } from './chart.js';
import { fill, h } from './dom.js';
import { count, duration, rate } from './format.js';
import type { StatsHistory } from './stats-history.js';
import type { QueueSettingsView } from './wire.js';

const DEPTHS = ['waiting', 'queued', 'assigned', 'running', 'finished', 'dead'] as const;

/** Unserved task types named in the line; the rest are counted. */
const UNSERVED_SHOWN = 10;

/** "resize, thumbnail" or, past UNSERVED_SHOWN, "a, b, ... and 3 more". */
function typeList(types: readonly string[]): string {
  const shown = types.slice(0, UNSERVED_SHOWN).join(', ');
  return types.length > UNSERVED_SHOWN
    ? `${shown} and ${types.length - UNSERVED_SHOWN} more`
    : shown;
}

/** Queue depth by state, what finished since the app started, and the chart. */
export class QueueView {
  constructor(
    private readonly tiles: HTMLElement,
    private readonly summary: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
  ) {}

  /** Per-type settings from GET /queues; types paused or limited are shown in the summary. */
  private settings: QueueSettingsView[] = [];

  setSettings(settings: QueueSettingsView[]): void {
    this.settings = settings;
  }

  /**
   * "resize paused, 40 queued", "report ≤ 5 at once, 10 per 1 min, 3 running", for the types
   * with a setting or with tasks.
   */
  private settingsLine(): string[] {
    const out: string[] = [];
    for (const q of this.settings) {
      const parts: string[] = [];
      if (q.queued) parts.push(`${count(q.queued)} queued`);
      if (q.running) parts.push(`${count(q.running)} running`);
      if (q.paused) parts.push('paused');
      if (q.concurrency !== null) parts.push(`≤ ${count(q.concurrency)} at once`);
      if (q.groupConcurrency != null) parts.push(`≤ ${count(q.groupConcurrency)} per group`);
      if (q.rateLimit !== null)
        parts.push(`${count(q.rateLimit.max)} per ${duration(q.rateLimit.perMs)}`);
      if (parts.length > 0) out.push(`${q.type} ${parts.join(', ')}`);
    }
    return out;
  }

  render(history: StatsHistory): void {
    const stats = history.latest;
    if (!stats) return;
    const now = history.now;
    fill(
      this.tiles,
      ...DEPTHS.map((state) =>
        h(
          'div',
          { class: `tile ${state}`, data: { state } },
          h('span', { class: 'value' }, count(stats.counts[state])),
          h('span', { class: 'label' }, state),
        ),
      ),
    );
    const since = stats.finishedSinceStart ?? {};
    const perMinute = stats.throughput?.total;
    const unserved = history.unservedTypes();
    const limited = this.settingsLine();
    fill(
      this.summary,
      limited.length > 0 &&
        h(
          'span',
          {
            class: 'queue-settings',
            title: "per task type: settings (PUT /queues/:type) and the leader's counts",
          },
          'queues: ',
          h('strong', {}, limited.join(' · ')),
        ),
      limited.length > 0 && h('br'),
      unserved.length > 0 &&
        h(
          'span',
          {
            class: 'unserved warn',
            title: 'Queued tasks of these types wait until a worker that serves them registers',
          },
          `⚠ no live worker serves ${unserved.length === 1 ? 'type' : 'types'} `,
          h('strong', {}, typeList(unserved)),
          ': their tasks stay queued',
        ),
      unserved.length > 0 && h('br'),
      h('span', {}, 'since the API started: '),
      h('strong', { class: 'good' }, count(since.done ?? 0)),
      ' done · ',
      h('strong', { class: 'bad' }, count(since.failed ?? 0)),
      ' failed · ',
      h('strong', {}, count(since.cancelled ?? 0)),
      ' cancelled · ',
      h('strong', { class: 'bad' }, count(since.dead ?? 0)),
      ' dead',
      h('br'),
      h('span', {}, 'throughput '),
      h('strong', {}, `${rate(history.recentRate(now))}/s`),
      perMinute !== undefined && ` (${count(perMinute)} in the last minute)`,
      ' · latency p50 ',
      h('strong', {}, stats.latency?.p50Ms == null ? '—' : duration(stats.latency.p50Ms)),
      ' p99 ',
      h('strong', {}, stats.latency?.p99Ms == null ? '—' : duration(stats.latency.p99Ms)),
    );
    drawChart(this.canvas, {
      throughput: history.throughput(now),
      latency: history.points(),
      windowMs: history.windowMs,
      now,
    });
  }
}
