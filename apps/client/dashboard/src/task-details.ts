import type { TaskView } from './wire.js';

export interface TaskDetail {
  view?: TaskView;
  error?: string;
  loading: boolean;
  /** Bumped on every change, for the view. */
  version: number;
}

/**
 * The full records (history included) of the tasks a person opened, fetched with GET
 * /tasks/:id when opened and again when an event says the task moved. Re-reads of one task are
 * spaced by `minIntervalMs` and never overlap, so a chatty task costs a few requests a second.
 */
export class TaskDetails {
  private readonly open = new Map<string, TaskDetail>();
  private readonly inFlight = new Set<string>();
  private readonly again = new Set<string>();
  private readonly lastFetch = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly fetchTask: (id: string) => Promise<TaskView>,
    private readonly changed: (id: string, detail: TaskDetail) => void,
    private readonly minIntervalMs = 300,
  ) {}

  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  get(id: string): TaskDetail | undefined {
    return this.open.get(id);
  }

  ids(): string[] {
    return [...this.open.keys()];
  }

  show(id: string): void {
    if (this.open.has(id)) return;
    this.open.set(id, { loading: true, version: 0 });
    void this.fetch(id);
  }

  hide(id: string): void {
    this.open.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.again.delete(id);
  }

  /** Something happened to the task: read it again soon. */
  refresh(id: string): void {
    if (!this.open.has(id) || this.timers.has(id)) return;
    if (this.inFlight.has(id)) {
      this.again.add(id);
      return;
    }
    const wait = (this.lastFetch.get(id) ?? 0) + this.minIntervalMs - Date.now();
    if (wait <= 0) {
      void this.fetch(id);
      return;
    }
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        void this.fetch(id);
      }, wait),
    );
  }

  private async fetch(id: string): Promise<void> {
    this.inFlight.add(id);
    this.lastFetch.set(id, Date.now());
    let view: TaskView | undefined;
    let error: string | undefined;
    try {
      view = await this.fetchTask(id);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    this.inFlight.delete(id);
    const detail = this.open.get(id);
    if (!detail) return; // closed meanwhile
    detail.loading = false;
    if (view) {
      detail.view = view;
      detail.error = undefined;
    } else detail.error = error;
    detail.version++;
    this.changed(id, detail);
    if (this.again.delete(id)) this.refresh(id);
  }
}
