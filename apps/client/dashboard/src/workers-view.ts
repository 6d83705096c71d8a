import { type Child, fill, h, reconcile } from './dom.js';
import { ago, shortId } from './format.js';
import type { WorkerCard } from './worker-board.js';

/** Task chips shown per card; a busy worker's list is cut with a count of the rest. */
const MAX_CHIPS = 12;

function chips(card: WorkerCard): Child {
  if (card.running.length === 0) return h('p', { class: 'idle' }, 'idle');
  const shown = card.running.slice(0, MAX_CHIPS).map((id) => {
    if (card.liveness !== 'lost') return h('li', { class: 'chip', title: id }, shortId(id));
    const moved = card.movedTo.get(id);
    const where = moved !== undefined ? `→ ${moved}` : card.movedTo.has(id) ? '→ queue' : '';
    return h(
      'li',
      { class: `chip moved${moved !== undefined ? ' landed' : ''}`, title: id },
      h('s', {}, shortId(id)),
      where && ` ${where}`,
    );
  });
  const more = card.running.length - shown.length;
  return h(
    'ul',
    { class: 'chips' },
    ...shown,
    more > 0 && h('li', { class: 'more' }, `+${more} more`),
  );
}

/** How busy the worker is. Sized through the CSSOM: the page's CSP forbids style attributes. */
function meter(load: number): HTMLElement {
  const bar = h('span');
  bar.style.width = `${(load * 100).toFixed(1)}%`;
  return h('div', { class: 'meter', title: `${Math.round(load * 100)}% of its slots` }, bar);
}

/**
 * Slots in use of the worker's concurrency; tasks it holds beyond them (its prefetch) are read
 * and waiting for a slot, shown apart rather than as more than 100% busy.
 */
function slotsText(card: WorkerCard): string {
  const held = card.liveness === 'lost' ? 0 : card.running.length;
  if (card.concurrency > 0 && held > card.concurrency)
    return `${card.concurrency} / ${card.concurrency}, ${held - card.concurrency} waiting`;
  return `${held} / ${card.concurrency || '?'}`;
}

function render(card: WorkerCard, el: HTMLElement): void {
  el.className = `card worker ${card.liveness}`;
  el.dataset.worker = card.id;
  el.dataset.liveness = card.liveness;
  const load =
    card.liveness !== 'lost' && card.concurrency > 0
      ? Math.min(1, card.running.length / card.concurrency)
      : 0;
  fill(
    el,
    h(
      'header',
      {},
      h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }),
      h('strong', { class: 'name', title: card.id }, card.id),
      h('span', { class: `badge ${card.liveness}` }, card.liveness),
    ),
    h(
      'dl',
      {},
      h('dt', {}, 'host'),
      h('dd', {}, card.host ?? '—'),
      h('dt', {}, 'pid'),
      h('dd', {}, card.pid ?? '—'),
      h('dt', {}, 'slots'),
      h('dd', {}, slotsText(card)),
      h('dt', {}, 'up'),
      h('dd', {}, card.since !== undefined ? ago(card.since).replace(' ago', '') : '—'),
    ),
    meter(load),
    card.types.length > 0 && h('p', { class: 'types' }, card.types.join(' · ')),
    card.liveness === 'lost' &&
      h(
        'p',
        { class: 'lost-note' },
        `lost ${ago(card.lostAt ?? NaN)}`,
        card.running.length > 0 && ', its tasks:',
      ),
    chips(card),
  );
}

/** The worker cards, keyed by id: a card is rebuilt only when its worker changed. */
export class WorkersView {
  private readonly els = new Map<string, { el: HTMLElement; version: number; tick: number }>();
  private readonly empty = h(
    'p',
    { class: 'empty' },
    'No workers yet. Start one with npx shepherd worker.',
  );

  constructor(
    private readonly container: HTMLElement,
    private readonly counter: HTMLElement,
  ) {}

  render(cards: readonly WorkerCard[]): void {
    const wanted: HTMLElement[] = [];
    const now = Date.now();
    for (const card of cards) {
      let entry = this.els.get(card.id);
      if (!entry) {
        entry = { el: h('article'), version: -1, tick: -1 };
        this.els.set(card.id, entry);
      }
      // "lost 3 s ago" and uptimes move on their own: redrawn every second, or every ten.
      const tick = Math.floor(now / (card.liveness === 'lost' ? 1000 : 10_000));
      if (entry.version !== card.version || entry.tick !== tick) {
        render(card, entry.el);
        entry.version = card.version;
        entry.tick = tick;
      }
      wanted.push(entry.el);
    }
    const ids = new Set(cards.map((c) => c.id));
    for (const id of [...this.els.keys()]) if (!ids.has(id)) this.els.delete(id);
    if (cards.length === 0) wanted.push(this.empty);
    reconcile(this.container, wanted);
    const live = cards.filter((c) => c.liveness !== 'lost').length;
    this.counter.textContent = String(live);
  }
}
