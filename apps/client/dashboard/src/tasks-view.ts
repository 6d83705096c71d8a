import { type Child, fill, h, reconcile } from './dom.js';
import { clock, fractionOf, preview, shortId } from './format.js';
import type { TaskRow } from './recent-tasks.js';
import type { TaskDetail } from './task-details.js';
import { timelineOf } from './timeline.js';

export interface TasksViewHandlers {
  toggle(id: string): void;
}

function progressCell(row: TaskRow): Child {
  if (row.progress === undefined) return '';
  const f = fractionOf(row.progress);
  if (f === undefined)
    return h('span', { class: 'raw', title: preview(row.progress, 500) }, 'progress');
  const bar = h('span');
  bar.style.width = `${(f * 100).toFixed(1)}%`;
  return h('span', { class: 'meter small', title: `${Math.round(f * 100)}%` }, bar);
}

function workerCell(row: TaskRow): Child[] {
  const lost = row.lostFrom.at(-1);
  return [
    row.worker ?? (row.state === 'queued' ? '' : '—'),
    lost !== undefined &&
      h(
        'span',
        { class: 'moved', title: `taken back from ${row.lostFrom.join(', ')}` },
        ` ↻ from ${lost}`,
      ),
  ];
}

function detailBody(detail: TaskDetail | undefined): Child {
  if (!detail || (detail.loading && !detail.view)) return h('p', { class: 'muted' }, 'loading…');
  if (!detail.view) return h('p', { class: 'bad' }, detail.error ?? 'not found');
  const view = detail.view;
  const items = timelineOf(view.history);
  return h(
    'div',
    { class: 'detail-body' },
    h(
      'ol',
      { class: 'timeline' },
      ...items.map((item) =>
        h(
          'li',
          { class: `tone-${item.tone}`, data: { event: item.event } },
          h('time', {}, clock(item.at)),
          h('span', { class: 'text' }, item.text),
          item.thenAt !== undefined && h('time', { class: 'then' }, `at ${clock(item.thenAt)}`),
        ),
      ),
    ),
    detail.error && h('p', { class: 'bad' }, `refresh failed: ${detail.error}`),
    h(
      'div',
      { class: 'io' },
      // What to search a tracing backend for: selectable, in full.
      view.traceId !== undefined &&
        h(
          'p',
          { class: 'trace', title: 'OpenTelemetry trace id: search your tracing backend for it' },
          'trace ',
          h('code', {}, view.traceId),
        ),
      h('section', {}, h('h4', {}, 'payload'), h('pre', {}, preview(view.payload))),
      view.result !== undefined &&
        h('section', {}, h('h4', {}, 'result'), h('pre', {}, preview(view.result))),
      view.error !== undefined &&
        h(
          'section',
          {},
          // A task that failed an attempt and went on keeps the error of that attempt.
          h('h4', {}, view.state === 'failed' || view.state === 'dead' ? 'error' : 'last error'),
          h('pre', { class: 'bad' }, view.error.message),
        ),
    ),
  );
}

interface RowEl {
  el: HTMLLIElement;
  key: string;
}

/**
 * The recent-tasks list, keyed by task id: a row is rewritten only when its task, its open
 * state or its fetched detail changed. A row is a button (keyboard and screen readers can open
 * it) followed by its timeline when open.
 */
export class TasksView {
  private readonly rows = new Map<string, RowEl>();
  private readonly empty = h('li', { class: 'empty' }, 'No tasks yet: submit one with the form.');

  constructor(
    private readonly container: HTMLElement,
    private readonly counter: HTMLElement,
    private readonly on: TasksViewHandlers,
  ) {
    container.addEventListener('click', (e) => {
      const button = (e.target as Element).closest('button.summary');
      const id = button?.closest<HTMLElement>('li.task')?.dataset.task;
      if (id) this.on.toggle(id);
    });
  }

  render(
    rows: readonly TaskRow[],
    detailOf: (id: string) => TaskDetail | undefined,
    isOpen: (id: string) => boolean,
  ): void {
    const wanted: HTMLElement[] = [];
    for (const row of rows) {
      const open = isOpen(row.id);
      const detail = open ? detailOf(row.id) : undefined;
      const key = `${row.version}/${open ? `open:${detail?.version ?? -1}` : 'closed'}`;
      let entry = this.rows.get(row.id);
      if (!entry) {
        entry = { el: h('li'), key: '' };
        this.rows.set(row.id, entry);
      }
      if (entry.key !== key) {
        this.draw(entry.el, row, open, detail);
        entry.key = key;
      }
      wanted.push(entry.el);
    }
    const ids = new Set(rows.map((r) => r.id));
    for (const id of [...this.rows.keys()]) if (!ids.has(id)) this.rows.delete(id);
    if (rows.length === 0) wanted.push(this.empty);
    reconcile(this.container, wanted);
    this.counter.textContent = String(rows.length);
  }

  private draw(
    el: HTMLLIElement,
    row: TaskRow,
    open: boolean,
    detail: TaskDetail | undefined,
  ): void {
    el.className = `task state-${row.state}${row.lostFrom.length > 0 ? ' reassigned' : ''}${open ? ' open' : ''}`;
    el.dataset.task = row.id;
    el.dataset.state = row.state;
    const attempts =
      row.attempts === undefined
        ? ''
        : `${row.attempts}${row.maxAttempts !== undefined ? `/${row.maxAttempts}` : ''}`;
    fill(
      el,
      h(
        'button',
        { class: 'summary', attrs: { type: 'button', 'aria-expanded': String(open) } },
        h('span', { class: 'id', title: row.id }, shortId(row.id)),
        h(
          'span',
          { class: 'type' },
          row.type,
          row.priority !== 0 &&
            h(
              'span',
              { class: 'priority', title: 'priority: higher runs first' },
              ` p${row.priority > 0 ? '+' : ''}${row.priority}`,
            ),
          row.group !== undefined &&
            h('span', { class: 'group', title: `group: ${row.group}` }, ` · ${row.group}`),
          row.flow !== undefined &&
            h(
              'span',
              {
                class: 'flow',
                title:
                  `flow ${row.flow.id}, task ${row.flow.key}` +
                  (row.flow.dependsOn.length > 0 ? `, after ${row.flow.dependsOn.join(', ')}` : ''),
              },
              ` · ${row.flow.key}${row.flow.dependsOn.length > 0 ? ` ← ${row.flow.dependsOn.join(', ')}` : ''}`,
            ),
        ),
        h('span', { class: `badge state ${row.state}` }, row.state),
        h('span', { class: 'worker' }, ...workerCell(row)),
        h('span', { class: 'attempts', title: 'attempts' }, attempts),
        h('span', { class: 'progress' }, progressCell(row)),
        h('time', { class: 'submitted', title: 'submitted' }, clock(row.submittedAt)),
      ),
      open && h('div', { class: 'detail' }, detailBody(detail)),
    );
  }
}
