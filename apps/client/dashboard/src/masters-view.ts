import { fill, h } from './dom.js';
import { ago } from './format.js';
import { type MastersView as Masters, toMs } from './wire.js';

/** The election: candidates in order, the first one leading, the rest standing by. */
export class MastersView {
  constructor(private readonly container: HTMLElement) {}

  render(masters: Masters | undefined): void {
    if (!masters) return fill(this.container, h('p', { class: 'empty' }, 'loading…'));
    if (masters.candidates.length === 0 && masters.leader === null)
      return fill(
        this.container,
        h(
          'p',
          { class: 'empty warn' },
          'No master: nothing is being assigned. Start one with npm run master.',
        ),
      );
    const candidates =
      masters.candidates.length > 0 ? masters.candidates : [{ id: masters.leader as string }];
    fill(
      this.container,
      h(
        'ol',
        { class: 'masters' },
        ...candidates.map((c) => {
          const leads = c.id === masters.leader;
          const since = toMs(c.since);
          return h(
            'li',
            { class: leads ? 'leader' : 'standby', data: { master: c.id } },
            h('strong', { class: 'name' }, c.id),
            h(
              'span',
              { class: `badge ${leads ? 'leader' : 'standby'}` },
              leads ? 'leader' : 'standby',
            ),
            h(
              'span',
              { class: 'meta' },
              [
                c.host,
                c.pid !== undefined ? `pid ${c.pid}` : undefined,
                Number.isFinite(since) ? `up ${ago(since).replace(' ago', '')}` : undefined,
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
