import { drawChart } from './chart.js';
import { fill, h } from './dom.js';
import { count, duration, rate } from './format.js';
import type { StatsHistory } from './stats-history.js';

const DEPTHS = ['queued', 'assigned', 'running', 'finished', 'dead'] as const;

/** Queue depth by state, what finished since the app started, and the chart. */
export class QueueView {
  constructor(
    private readonly tiles: HTMLElement,
    private readonly summary: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
  ) {}

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
    fill(
      this.summary,
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
