import { Api, ApiError } from './api.js';
import { byId } from './dom.js';
import { EventInbox } from './event-inbox.js';
import { FlowsView } from './flows-view.js';
import { FrameScheduler } from './frame-scheduler.js';
import { LiveEvents } from './live-events.js';
import { MastersView } from './masters-view.js';
import { QueueView } from './queue-view.js';
import { RecentTasks } from './recent-tasks.js';
import { SchedulesView } from './schedules-view.js';
import { StatsHistory } from './stats-history.js';
import { StatusBar } from './status-bar.js';
import { SubmitForm } from './submit-form.js';
import { TaskDetails } from './task-details.js';
import { TasksView } from './tasks-view.js';
import { TokenStore } from './token-store.js';
import { WorkerBoard } from './worker-board.js';
import { WorkersView } from './workers-view.js';
import type {
  ClusterEvent,
  FlowPage,
  FlowView,
  MastersView as Masters,
  QueueSettingsView,
  ScheduleView,
  StatsView,
  TaskPage,
  TaskView,
  WorkerView,
} from './wire.js';

/**
 * The dashboard: state lives in small models (RecentTasks, WorkerBoard, StatsHistory), fed by
 * the event stream and by polls; the views draw from the models at most once per animation
 * frame, and only the parts that changed. Every list is capped, so the cost of a frame does not
 * grow with the backlog or with the event rate.
 */

const POLL_MS = 2000;
const RECENT_ROWS = 100;
const INITIAL_PAGE = 50;
/** The flows panel shows this many, the newest. */
const RECENT_FLOWS = 10;

/** Script time per frame for applying events; more while hidden, where nothing is drawn. */
const EVENT_BUDGET_MS = 6;
const HIDDEN_EVENT_BUDGET_MS = 50;

type Part = 'events' | 'tasks' | 'workers' | 'masters' | 'schedules' | 'flows' | 'queue';

const tokens = new TokenStore();
const api = new Api(tokens);
const tasks = new RecentTasks(RECENT_ROWS);
const workers = new WorkerBoard();
const stats = new StatsHistory();
const inbox = new EventInbox();

/**
 * The tasks' event cursor when the request for each reply left: a reply is no newer than an
 * event applied after that (see RecentTasks.upsertView).
 */
const askedAt = new WeakMap<object, number>();
async function asked<T extends object>(request: () => Promise<T>): Promise<T> {
  const since = tasks.cursor();
  const reply = await request();
  askedAt.set(reply, since);
  return reply;
}

let masters: Masters | undefined;
let schedules: ScheduleView[] | undefined;
let flows: FlowView[] | undefined;
/** A task opened from a flow's chip: its row is scrolled into view once it is drawn. */
let reveal: string | undefined;

const status = new StatusBar(
  byId('link'),
  byId('rate'),
  byId('banner'),
  byId<HTMLFormElement>('token-form'),
  tokens,
  () => restart(),
);
const workersView = new WorkersView(byId('workers'), byId('workers-count'));
const mastersView = new MastersView(byId('masters'));
const schedulesView = new SchedulesView(byId('schedules'));
const flowsView = new FlowsView(byId('flows'), {
  openTask(id) {
    if (!details.isOpen(id)) {
      tasks.pin(id);
      details.show(id);
    }
    reveal = id;
    frame.mark('tasks');
  },
});
const queueView = new QueueView(
  byId('depths'),
  byId('queue-summary'),
  byId<HTMLCanvasElement>('chart'),
);
const details = new TaskDetails(
  (id) => asked(() => api.get<TaskView>(`/tasks/${encodeURIComponent(id)}`)),
  (_id, detail) => {
    if (detail.view) tasks.upsertView(detail.view, askedAt.get(detail.view));
    frame.mark('tasks');
  },
);
const tasksView = new TasksView(byId('tasks'), byId('tasks-count'), {
  toggle(id) {
    if (details.isOpen(id)) {
      details.hide(id);
      tasks.unpin(id);
    } else {
      tasks.pin(id);
      details.show(id);
    }
    frame.mark('tasks');
  },
});
const form = new SubmitForm(byId<HTMLFormElement>('submit-form'), {
  submit: (type, payload) =>
    asked(() => api.post<TaskView>('/tasks', payload === undefined ? { type } : { type, payload })),
  submitted(task) {
    tasks.upsertView(task, askedAt.get(task));
    frame.mark('tasks');
  },
});

const frame = new FrameScheduler<Part>((parts) => {
  if (parts.has('events')) {
    const budget = document.hidden ? HIDDEN_EVENT_BUDGET_MS : EVENT_BUDGET_MS;
    const left = inbox.drain(budget, (e) => applyEvent(e, parts));
    if (left > 0) frame.mark('events'); // the rest next frame: input and drawing go first
  }
  if (parts.has('tasks')) {
    tasksView.render(
      tasks.list(),
      (id) => details.get(id),
      (id) => details.isOpen(id),
    );
    revealOpened();
  }
  if (parts.has('workers')) {
    workersView.render(workers.list());
    form.setTypes(workers.types());
    scheduleLostExpiry();
  }
  if (parts.has('masters')) mastersView.render(masters);
  if (parts.has('schedules')) schedulesView.render(schedules);
  if (parts.has('flows')) flowsView.render(flows);
  if (parts.has('queue')) queueView.render(stats);
});

/** Scrolls to the row of the task opened from a flow, once it is there (or could not be read). */
function revealOpened(): void {
  if (reveal === undefined) return;
  const row = document.querySelector(`li.task[data-task="${CSS.escape(reveal)}"]`);
  if (row) row.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  const detail = details.get(reveal);
  if (row || !detail || (!detail.loading && !detail.view)) reveal = undefined;
}

/** Redraw the workers when the next lost card is due to disappear. */
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleLostExpiry(): void {
  clearTimeout(expiryTimer);
  const at = workers.nextExpiry();
  if (at !== undefined)
    expiryTimer = setTimeout(() => frame.mark('workers'), Math.max(50, at - Date.now() + 20));
}

/** Applies one event to the models, adding the parts it changed to this frame's `parts`. */
function applyEvent(e: ClusterEvent, parts: Set<Part>): void {
  if (tasks.applyEvent(e) && e.taskId !== undefined) {
    parts.add('tasks');
    details.refresh(e.taskId);
  }
  if (workers.applyEvent(e)) parts.add('workers');
  if (e.type === 'master.elected' && e.masterId !== undefined) {
    masters = { leader: e.masterId, candidates: masters?.candidates ?? [] };
    parts.add('masters');
  }
}

const live = new LiveEvents(() => api.eventsUrl(), {
  message(type, data) {
    status.countEvent();
    if (inbox.push(type, data)) frame.mark('events');
    else resync(); // too far behind: re-read instead of catching up
  },
  state: (s) => status.setLink(s),
  reopened: () => resync(), // events missed while away are not replayed
});

/** Problems of the last poll, shown in the banner until a poll goes through. */
function report(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) return status.needToken();
  if (err instanceof ApiError && err.status === 503)
    return status.warn(`The coordination service is unreachable (503): ${err.message}`);
  status.warn(`The API did not answer: ${err instanceof Error ? err.message : String(err)}`);
}

async function loadRecent(): Promise<void> {
  try {
    const page = await asked(() => api.get<TaskPage>(`/tasks?limit=${INITIAL_PAGE}`));
    const since = askedAt.get(page);
    for (const view of page.items) tasks.upsertView(view, since);
    frame.mark('tasks');
  } catch (err) {
    report(err);
  }
}

let polling = false;
async function poll(): Promise<void> {
  if (polling) return; // a slow answer never stacks requests
  polling = true;
  const requestedAt = Date.now();
  const [s, w, m] = await Promise.allSettled([
    api.get<StatsView>('/stats'),
    api.get<WorkerView[]>('/workers'),
    api.get<Masters>('/masters'),
  ]);
  polling = false;
  const now = Date.now();
  if (s.status === 'fulfilled') {
    stats.add(s.value, now);
    frame.mark('queue');
  }
  if (w.status === 'fulfilled') {
    workers.applySnapshot(w.value, requestedAt);
    frame.mark('workers');
  }
  if (m.status === 'fulfilled') {
    masters = m.value;
    frame.mark('masters');
  }
  const failed = [s, w, m].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) report(failed.reason);
  else status.warn(undefined);
  status.showRate(now);
  void pollSchedules();
  void pollFlows();
  void pollQueueSettings();
}

/** Per-type queue settings, beside the poll: an app without them leaves the line out. */
async function pollQueueSettings(): Promise<void> {
  try {
    queueView.setSettings((await api.get<{ items: QueueSettingsView[] }>('/queues')).items);
  } catch {
    return;
  }
  frame.mark('queue');
}

/** The schedules, beside the poll: an app without them (older) only leaves the list empty. */
async function pollSchedules(): Promise<void> {
  try {
    schedules = (await api.get<{ items: ScheduleView[] }>('/schedules')).items;
  } catch {
    schedules = schedules ?? [];
  }
  frame.mark('schedules');
}

/** The newest flows, beside the poll: an app without them (older) only leaves the list empty. */
let pollingFlows = false;
async function pollFlows(): Promise<void> {
  if (pollingFlows) return; // a flow of 500 tasks takes a while to read: never stack reads
  pollingFlows = true;
  try {
    flows = (await api.get<FlowPage>(`/flows?limit=${RECENT_FLOWS}`)).items;
  } catch {
    flows = flows ?? [];
  } finally {
    pollingFlows = false;
  }
  frame.mark('flows');
}

function resync(): void {
  void loadRecent();
  void poll();
}

/** (Re)starts everything, e.g. after a token was entered. */
function restart(): void {
  status.warn(undefined);
  live.open();
  resync();
}

api.onUnauthorized = () => {
  live.close();
  status.setLink('down');
};
setInterval(() => void poll(), POLL_MS);
window.addEventListener('resize', () => frame.mark('queue'));
restart();
