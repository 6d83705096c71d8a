import { fill, h } from './dom.js';
import { duration } from './format.js';
import { type ScheduleView, toMs } from './wire.js';

/** When a fire time is: "in 4 s", "in 3 min". */
function until(ms: number, now = Date.now()): string {
  if (!Number.isFinite(ms)) return '—';
  return ms <= now ? 'now' : `in ${duration(ms - now)}`;
}

/** The schedules, by name, each with its timing and next fire time. */
export class SchedulesView {
  constructor(private readonly container: HTMLElement) {}

  render(schedules: ScheduleView[] | undefined): void {
    if (!schedules) return fill(this.container, h('p', { class: 'empty' }, 'loading…'));
    if (schedules.length === 0)
      return fill(this.container, h('p', { class: 'empty' }, 'No schedules (POST /schedules).'));
    fill(
      this.container,
      h(
        'ul',
        { class: 'schedules' },
        ...schedules.map((s) => {
          const next = s.nextFireTimes[0];
          const timing =
            s.cron !== undefined
              ? `cron ${s.cron}${s.timezone ? ` (${s.timezone})` : ''}`
              : `every ${s.every} ms`;
          return h(
            'li',
            { class: s.paused ? 'paused' : 'active', data: { schedule: s.name } },
            h('strong', { class: 'name' }, s.name),
            h(
              'span',
              { class: `badge ${s.paused ? 'standby' : 'leader'}` },
              s.paused ? 'paused' : s.task.type,
            ),
            h(
              'span',
              { class: 'meta' },
              [
                timing,
                s.paused || next === undefined
                  ? undefined
                  : `next ${new Date(toMs(next)).toISOString()} (${until(toMs(next))})`,
              ]
                .filter(Boolean)
                .join(' · '),
            ),
          );
        }),
      ),
    );
  }
}
