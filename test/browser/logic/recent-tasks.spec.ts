import {
  RecentTasks,
  priorityOf,
  submittedAtOf,
} from '../../../apps/client/dashboard/src/recent-tasks';
import type { TaskView } from '../../../apps/client/dashboard/src/wire';

/**
 * A task id as the core makes them: "task-" + 3 base-36 chars of (1000 - priority) + 9 of ms +
 * 8 random ones.
 */
function idAt(ms: number, suffix = 'aaaaaaaa', priority = 0): string {
  const field = (1000 - priority).toString(36).padStart(3, '0');
  return `task-${field}${ms.toString(36).padStart(9, '0')}${suffix}`;
}

function view(id: string, over: Partial<TaskView> = {}): TaskView {
  return {
    id,
    type: 'sleep',
    state: 'queued',
    worker: null,
    attempts: 0,
    maxAttempts: 3,
    history: [{ at: '2026-01-01T00:00:00.000Z', event: 'queued' }],
    payload: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const T0 = Date.UTC(2026, 0, 1);

describe('RecentTasks', () => {
  it('reads the submit time and the priority from the id', () => {
    expect(submittedAtOf(idAt(T0))).toBe(T0);
    expect(submittedAtOf(idAt(T0, 'aaaaaaaa', -1000))).toBe(T0);
    expect([-1000, -3, 0, 1000].map((p) => priorityOf(idAt(T0, 'aaaaaaaa', p)))).toEqual([
      -1000, -3, 0, 1000,
    ]);
    // An id made before priorities: no priority field, priority 0.
    const old = `task-${T0.toString(36).padStart(9, '0')}aaaaaaaa`;
    expect([submittedAtOf(old), priorityOf(old)]).toEqual([T0, 0]);
  });

  it('lists newest first whatever the priority, and keeps the priority for the row', () => {
    const tasks = new RecentTasks(3);
    const ids = [1000, -1000, 0, 5].map((p, i) => idAt(T0 + i, 'aaaaaaaa', p));
    for (const id of ids) tasks.applyEvent({ type: 'task.queued', at: T0, taskId: id });
    expect(tasks.list().map((r) => [r.id, r.priority])).toEqual([
      [ids[3], 5],
      [ids[2], 0],
      [ids[1], -1000],
    ]);
    // Older than every row shown, though its priority sorts it first as a string.
    expect(tasks.applyEvent({ type: 'task.assigned', at: T0, taskId: ids[0] })).toBeUndefined();
    const row = tasks.upsertView(view(ids[3], { priority: 5 }));
    expect(row?.priority).toBe(5);
  });

  it('follows a task through its events, remembering the workers it was taken from', () => {
    const tasks = new RecentTasks(10);
    const id = idAt(T0);
    tasks.applyEvent({ type: 'task.queued', at: T0, taskId: id, taskType: 'sleep' });
    tasks.applyEvent({ type: 'task.assigned', at: T0 + 1, taskId: id, workerId: 'w1' });
    tasks.applyEvent({ type: 'task.started', at: T0 + 2, taskId: id, workerId: 'w1' });
    tasks.applyEvent({ type: 'task.progress', at: T0 + 3, taskId: id, progress: 0.5 });
    expect(tasks.get(id)).toMatchObject({ state: 'running', worker: 'w1', progress: 0.5 });
    tasks.applyEvent({ type: 'task.reassigned', at: T0 + 4, taskId: id, workerId: 'w1' });
    expect(tasks.get(id)).toMatchObject({ state: 'queued', worker: undefined, lostFrom: ['w1'] });
    tasks.applyEvent({ type: 'task.assigned', at: T0 + 5, taskId: id, workerId: 'w2' });
    tasks.applyEvent({ type: 'task.completed', at: T0 + 6, taskId: id, workerId: 'w2' });
    expect(tasks.get(id)).toMatchObject({ state: 'done', worker: 'w2', lostFrom: ['w1'] });
  });

  it('takes a fetched view whole, with null for no worker yet', () => {
    const tasks = new RecentTasks(10);
    const id = idAt(T0);
    tasks.applyEvent({ type: 'task.assigned', at: T0, taskId: id, workerId: 'w1' });
    const row = tasks.upsertView(
      view(id, {
        state: 'queued',
        history: [
          { at: T0, event: 'queued' },
          { at: T0, event: 'reassigned', worker: 'w1', detail: 'worker lost' },
        ],
      }),
    );
    expect(row).toMatchObject({ state: 'queued', worker: undefined, lostFrom: ['w1'] });
  });

  it('keeps the newest `cap` tasks, newest first, and ignores events about older ones', () => {
    const tasks = new RecentTasks(100);
    for (let i = 0; i < 100_000; i++)
      tasks.applyEvent({ type: 'task.queued', at: T0 + i, taskId: idAt(T0 + i) });
    const rows = tasks.list();
    expect(rows).toHaveLength(100);
    expect(rows[0].id).toBe(idAt(T0 + 99_999));
    expect(rows[99].id).toBe(idAt(T0 + 99_900));
    expect(tasks.size).toBe(100);
    expect(tasks.applyEvent({ type: 'task.assigned', at: T0, taskId: idAt(T0) })).toBeUndefined();
    expect(tasks.size).toBe(100);
  });

  it('keeps a pinned (opened) task however many newer ones arrive', () => {
    const tasks = new RecentTasks(3);
    const old = idAt(T0);
    tasks.upsertView(view(old));
    tasks.pin(old);
    for (let i = 1; i <= 10; i++) tasks.upsertView(view(idAt(T0 + i)));
    const ids = tasks.list().map((r) => r.id);
    expect(ids).toEqual([idAt(T0 + 10), idAt(T0 + 9), idAt(T0 + 8), old]);
    tasks.unpin(old);
    expect(tasks.list().map((r) => r.id)).not.toContain(old);
  });

  it('takes an old task that was pinned before its view came (opened from a flow)', () => {
    const tasks = new RecentTasks(3);
    for (let i = 1; i <= 5; i++) tasks.upsertView(view(idAt(T0 + i)));
    tasks.list();
    const old = idAt(T0);
    expect(tasks.upsertView(view(old))).toBeUndefined(); // older than every row shown
    tasks.pin(old);
    expect(tasks.upsertView(view(old, { state: 'done' }))).toMatchObject({
      id: old,
      state: 'done',
    });
    expect(tasks.list().map((r) => r.id)).toEqual([idAt(T0 + 5), idAt(T0 + 4), idAt(T0 + 3), old]);
  });

  it('keeps the state events gave a row over a view whose request left before them', () => {
    const tasks = new RecentTasks(10);
    const id = idAt(T0);
    // The submit leaves; the task is assigned and started before its reply comes back.
    const submitLeft = tasks.cursor();
    tasks.applyEvent({ type: 'task.assigned', at: T0 + 1, taskId: id, workerId: 'w1' });
    tasks.applyEvent({ type: 'task.started', at: T0 + 2, taskId: id, workerId: 'w1' });
    const row = tasks.upsertView(view(id, { priority: 4, group: 'g' }), submitLeft);
    expect(row).toMatchObject({ state: 'running', worker: 'w1', priority: 4, group: 'g' });
    // A view asked for after the last event is the newer one, whatever it says.
    const detailLeft = tasks.cursor();
    tasks.upsertView(view(id, { state: 'done', worker: 'w1', attempts: 1 }), detailLeft);
    expect(tasks.get(id)).toMatchObject({ state: 'done', attempts: 1 });
    // With no cursor (nothing to compare with) the view is taken whole, as before.
    tasks.upsertView(view(id));
    expect(tasks.get(id)).toMatchObject({ state: 'queued', worker: undefined });
  });

  it('bumps a row version only when it changed', () => {
    const tasks = new RecentTasks(10);
    const id = idAt(T0);
    const row = tasks.applyEvent({ type: 'task.queued', at: T0, taskId: id });
    const v = row?.version;
    expect(tasks.applyEvent({ type: 'worker.joined', at: T0, workerId: 'w1' })).toBeUndefined();
    expect(tasks.get(id)?.version).toBe(v);
  });
});
