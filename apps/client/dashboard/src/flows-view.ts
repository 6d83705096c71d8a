import { fill, h, reconcile } from './dom.js';
import { layoutFlow } from './flow-layout.js';
import { ago, count } from './format.js';
import { type FlowView, TASK_STATES, toMs } from './wire.js';

/** A task chip and the space between columns and rows, in CSS pixels. */
const CHIP_W = 112;
const CHIP_H = 24;
const GAP_X = 36;
const GAP_Y = 10;
/** Larger flows (up to 500 tasks) are summed up by state instead of drawn. */
const MAX_DRAWN_TASKS = 120;
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface FlowsViewHandlers {
  /** A task chip was clicked: show that task's detail. */
  openTask(id: string): void;
}

/** A flow id without its constant prefix (the full id is in the title). */
function shortFlowId(id: string): string {
  return id.startsWith('flow-') ? id.slice(5) : id;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: SVGElement[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(c);
  return el;
}

/**
 * The flow as a DAG: columns of depth left to right (flow-layout.ts), each task a chip in its
 * state's badge colors, a line with an arrow head from each dependency to its dependent,
 * colored by the dependency's state (green once it is done).
 */
function dag(flow: FlowView): HTMLElement {
  const layout = layoutFlow(flow.tasks);
  const byKey = new Map(flow.tasks.map((t) => [t.key, t]));
  const x = (column: number) => column * (CHIP_W + GAP_X);
  const y = (rows: number) => rows * (CHIP_H + GAP_Y);
  const width = Math.max(0, x(layout.width) - GAP_X);
  const height = Math.max(0, y(layout.height) - GAP_Y);
  const placed = new Map(layout.nodes.map((n) => [n.key, n]));

  const edges = svg('svg', {
    class: 'flow-edges',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'aria-hidden': 'true',
  });
  for (const e of layout.edges) {
    const from = placed.get(e.from)!;
    const to = placed.get(e.to)!;
    const x1 = x(from.column) + CHIP_W;
    const y1 = y(from.y) + CHIP_H / 2;
    const x2 = x(to.column) - 1;
    const y2 = y(to.y) + CHIP_H / 2;
    const mid = (x1 + x2) / 2;
    edges.appendChild(
      svg(
        'g',
        {
          class: `edge from-${byKey.get(e.from)?.state ?? 'queued'}`,
          'data-edge': `${e.from}>${e.to}`,
        },
        svg('path', {
          class: 'line',
          d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 5},${y2}`,
        }),
        svg('path', { class: 'head', d: `M${x2},${y2} l-6,-3.5 v7 z` }),
      ),
    );
  }

  const box = h('div', { class: 'flow-dag' });
  box.style.width = `${width}px`;
  box.style.height = `${height}px`;
  box.appendChild(edges);
  for (const n of layout.nodes) {
    const t = byKey.get(n.key)!;
    const chip = h(
      'button',
      {
        class: `flow-task badge state ${t.state}`,
        title: `${t.key} (${t.type}) · ${t.id} · ${t.state}`,
        data: { task: t.id, key: t.key, state: t.state },
        attrs: { type: 'button' },
      },
      t.key,
    );
    chip.style.left = `${x(n.column)}px`;
    chip.style.top = `${y(n.y)}px`;
    chip.style.width = `${CHIP_W}px`;
    chip.style.height = `${CHIP_H}px`;
    box.appendChild(chip);
  }
  return h('div', { class: 'flow-scroll' }, box);
}

/** Too many tasks to draw: how many are in each state. */
function summary(flow: FlowView): HTMLElement {
  const by = new Map<string, number>();
  for (const t of flow.tasks) by.set(t.state, (by.get(t.state) ?? 0) + 1);
  return h(
    'p',
    { class: 'flow-summary' },
    `${count(flow.tasks.length)} tasks, too many to draw: `,
    ...TASK_STATES.filter((s) => by.has(s)).flatMap((s, i) => [
      i > 0 && ' ',
      h('span', { class: `badge state ${s}` }, `${count(by.get(s))} ${s}`),
    ]),
  );
}

interface FlowEl {
  el: HTMLLIElement;
  /** What the drawing shows: redrawn only when it changes. */
  key: string;
  age: HTMLElement;
  createdAt: number;
}

/**
 * The most recent flows, newest first, each as a small DAG of its tasks. Keyed by flow id: a
 * flow is redrawn only when its state or one of its tasks' states changed; its age is
 * rewritten on every render. Clicking a task chip opens that task as the task list does.
 */
export class FlowsView {
  private readonly flows = new Map<string, FlowEl>();
  private readonly list = h('ul', { class: 'flows' });

  constructor(
    private readonly container: HTMLElement,
    on: FlowsViewHandlers,
  ) {
    container.addEventListener('click', (e) => {
      const id = (e.target as Element).closest<HTMLElement>('.flow-task')?.dataset.task;
      if (id) on.openTask(id);
    });
  }

  render(flows: readonly FlowView[] | undefined, now = Date.now()): void {
    if (!flows) return fill(this.container, h('p', { class: 'empty' }, 'loading…'));
    if (flows.length === 0) {
      this.flows.clear();
      return fill(this.container, h('p', { class: 'empty' }, 'No flows (POST /flows)'));
    }
    if (this.list.parentElement !== this.container) fill(this.container, this.list);
    const wanted: HTMLElement[] = [];
    for (const flow of flows) {
      const key = [
        flow.state,
        flow.cancelled?.reason ?? '',
        ...flow.tasks.map((t) => `${t.key}:${t.state}`),
      ].join('|');
      let entry = this.flows.get(flow.id);
      if (!entry) {
        entry = { el: h('li'), key: '', age: h('span', { class: 'age' }), createdAt: NaN };
        this.flows.set(flow.id, entry);
      }
      if (entry.key !== key) {
        this.draw(entry, flow);
        entry.key = key;
      }
      entry.age.textContent = ago(entry.createdAt, now);
      wanted.push(entry.el);
    }
    const ids = new Set(flows.map((f) => f.id));
    for (const id of [...this.flows.keys()]) if (!ids.has(id)) this.flows.delete(id);
    reconcile(this.list, wanted);
  }

  private draw(entry: FlowEl, flow: FlowView): void {
    const { el } = entry;
    entry.createdAt = toMs(flow.createdAt);
    el.className = `flow state-${flow.state}`;
    el.dataset.flow = flow.id;
    el.dataset.state = flow.state;
    const ended = flow.tasks.filter((t) => t.state === 'done').length;
    fill(
      el,
      h(
        'div',
        { class: 'flow-head' },
        h('span', { class: `badge state ${flow.state}` }, flow.state),
        h('span', { class: 'flow-id', title: flow.id }, shortFlowId(flow.id)),
        h('span', { class: 'meta' }, `${ended}/${flow.tasks.length} done · `, entry.age),
        flow.cancelled?.reason !== undefined &&
          h('span', { class: 'meta', title: 'cancel reason' }, `“${flow.cancelled.reason}”`),
      ),
      flow.tasks.length > MAX_DRAWN_TASKS ? summary(flow) : dag(flow),
    );
  }
}
