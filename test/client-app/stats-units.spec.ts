import { ClusterEvent, type WorkerView, newTaskId } from '@shepherd/taskqueue';
import { CachedRead, isServed, servingTypes } from '../../apps/client/src/cluster/live-workers';
import { LatencyWindow, percentile } from '../../apps/client/src/stats/latency-window';
import { MAX_TRACKED_QUEUED, QueuedTypes } from '../../apps/client/src/stats/queued-types';
import { SecondBuckets } from '../../apps/client/src/stats/second-buckets';
import { StatsTracker } from '../../apps/client/src/stats/stats-tracker';
import { submittedAt, taskLatencyMs } from '../../apps/client/src/stats/task-latency';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0); // a whole second

describe('SecondBuckets', () => {
  it('counts per second over the window, oldest first, ending with the current second', () => {
    const b = new SecondBuckets(5);
    b.add(T0);
    b.add(T0 + 999);
    b.add(T0 + 2000, 3);
    expect(b.series(T0 + 2500)).toEqual([0, 0, 2, 0, 3]);
    expect(b.series(T0 + 4000)).toEqual([2, 0, 3, 0, 0]);
  });

  it('forgets seconds that left the window, even when a slot is reused', () => {
    const b = new SecondBuckets(3);
    b.add(T0, 7);
    expect(b.series(T0 + 3000)).toEqual([0, 0, 0]);
    b.add(T0 + 3000); // the same slot, one lap later
    expect(b.series(T0 + 3000)).toEqual([0, 0, 1]);
    b.add(T0, 5); // older than what the slot holds now: ignored
    expect(b.series(T0 + 3000)).toEqual([0, 0, 1]);
  });
});

describe('LatencyWindow', () => {
  it('gives nearest-rank percentiles over the window', () => {
    const w = new LatencyWindow(60);
    for (let i = 1; i <= 100; i++) w.add(T0 + i * 10, i);
    expect(w.summary(T0 + 1000)).toEqual({ count: 100, p50Ms: 50, p99Ms: 99 });
    expect(w.summary(T0 + 61_000)).toEqual({ count: 0, p50Ms: null, p99Ms: null });
  });

  it('keeps a bounded sample per second but counts everything', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const w = new LatencyWindow(60, 100, random);
    for (let i = 0; i < 10_000; i++) w.add(T0 + 500, i % 1000);
    const s = w.summary(T0 + 500);
    expect(s.count).toBe(10_000);
    // A uniform sample of 100 from 0..999: the median lands near the middle.
    expect(s.p50Ms).toBeGreaterThan(300);
    expect(s.p50Ms).toBeLessThan(700);
  });

  it('percentile of nothing is null, of one value that value', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 1)).toBe(4);
  });
});

describe('task latency from the id', () => {
  it('reads the submit time from a task id', () => {
    const id = newTaskId(T0);
    expect(submittedAt(id)).toBe(T0);
    expect(taskLatencyMs(id, T0 + 1234)).toBe(1234);
    expect(taskLatencyMs(id, T0 - 5)).toBe(0);
    expect(submittedAt('not-a-task')).toBeUndefined();
    // Whatever the priority in front of the time, and for ids made before priorities.
    expect(submittedAt(newTaskId(T0, undefined, 1000))).toBe(T0);
    expect(submittedAt(newTaskId(T0, undefined, -1000))).toBe(T0);
    expect(submittedAt(`task-${T0.toString(36).padStart(9, '0')}abcdefgh`)).toBe(T0);
  });
});

describe('StatsTracker', () => {
  const ev = (type: ClusterEvent['type'], at: number, extra: Partial<ClusterEvent> = {}) =>
    ({ type, at, ...extra }) as ClusterEvent;

  it('tallies end states, counting a failed attempt that will be retried as nothing', () => {
    let now = T0;
    const t = new StatsTracker(() => now);
    const id = newTaskId(T0 - 200);
    t.observe(ev('task.queued', T0, { taskId: id }));
    t.observe(ev('task.failed', T0, { taskId: id, state: 'queued' }));
    t.observe(ev('task.failed', T0, { taskId: id, state: 'failed' }));
    t.observe(ev('task.cancelled', T0, { taskId: id }));
    t.observe(ev('task.dead', T0, { taskId: id }));
    t.observe(ev('task.completed', T0 + 100, { taskId: id }));
    t.observe(ev('task.completed', T0 + 1100, { taskId: newTaskId(T0 + 600) }));
    expect(t.finished()).toEqual({ done: 2, failed: 1, cancelled: 1, dead: 1 });
    now = T0 + 1500;
    const w = t.window();
    expect(w.throughput.perSecond.slice(-2)).toEqual([1, 1]);
    expect(w.throughput).toMatchObject({ windowSeconds: 60, total: 2, ratePerSecond: 0.03 });
    expect(w.latency).toEqual({ windowSeconds: 60, count: 2, p50Ms: 300, p99Ms: 500 });
    now = T0 + 120_000;
    expect(t.window().throughput.total).toBe(0);
    expect(t.finished().done).toBe(2);
  });
});

describe('QueuedTypes', () => {
  const ev = (type: ClusterEvent['type'], extra: Partial<ClusterEvent>) =>
    ({ type, at: T0, ...extra }) as ClusterEvent;

  it('knows the types of the tasks seen queued, until they leave the queue', () => {
    const q = new QueuedTypes();
    q.observe(ev('task.queued', { taskId: 'a', taskType: 'resize', state: 'queued' }));
    q.observe(ev('task.queued', { taskId: 'b', taskType: 'resize', state: 'queued' }));
    q.observe(ev('task.queued', { taskId: 'c', taskType: 'echo', state: 'queued' }));
    q.observe(ev('worker.joined', { workerId: 'w1' }));
    expect(q.types()).toEqual(['echo', 'resize']);
    q.observe(ev('task.assigned', { taskId: 'c', state: 'assigned' }));
    q.observe(ev('task.cancelled', { taskId: 'a', state: 'cancelled' }));
    expect(q.types()).toEqual(['resize']);
    // Back in the queue: a failed attempt to be retried, a task taken from a lost worker.
    q.observe(ev('task.failed', { taskId: 'c', taskType: 'echo', state: 'queued' }));
    q.observe(ev('task.queued', { taskId: 'c', taskType: 'echo', state: 'queued' }));
    expect(q.types()).toEqual(['echo', 'resize']);
    q.observe(ev('task.assigned', { taskId: 'b', state: 'assigned' }));
    q.observe(ev('task.reassigned', { taskId: 'b', taskType: 'resize', state: 'queued' }));
    q.observe(ev('task.assigned', { taskId: 'c', state: 'assigned' }));
    expect(q.types()).toEqual(['resize']);
    // Its record was gone when read: it had moved on already.
    q.observe(ev('task.queued', { taskId: 'd', state: 'queued' }));
    expect(q.types()).toEqual(['resize']);
  });

  it('forgets what was seen before the queue was seen empty, and stays bounded', () => {
    const q = new QueuedTypes();
    q.observe({ type: 'task.queued', at: T0, taskId: 'a', taskType: 'old', state: 'queued' });
    q.observe({ type: 'task.queued', at: T0 + 10, taskId: 'b', taskType: 'new', state: 'queued' });
    q.forgetQueuedBefore(T0 + 5);
    expect(q.types()).toEqual(['new']);
    for (let i = 0; i <= MAX_TRACKED_QUEUED; i++)
      q.observe({
        type: 'task.queued',
        at: T0 + 20,
        taskId: `t${i}`,
        taskType: 'x',
        state: 'queued',
      });
    expect(q.types()).toEqual(['x']);
  });
});

describe('the live workers as submissions see them', () => {
  const worker = (types: string[], draining = false) =>
    ({ id: 'w', concurrency: 1, prefetch: 0, types, draining, running: [] }) as WorkerView;

  it('serve the types advertised by workers that are not draining, any type for "*"', () => {
    const serving = servingTypes([worker(['echo']), worker(['resize'], true)]);
    expect(isServed(serving, 'echo')).toBe(true);
    expect(isServed(serving, 'resize')).toBe(false);
    expect(isServed(servingTypes([worker(['*'])]), 'resize')).toBe(true);
    expect(isServed(servingTypes([]), 'echo')).toBe(false);
  });

  it('are read at most once per ttl, and concurrent callers share the read', async () => {
    let now = T0;
    let reads = 0;
    let fail = false;
    const cache = new CachedRead(
      () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(++reads)),
      1000,
      () => now,
    );
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([1, 1, 1]);
    now += 999;
    expect(await cache.get()).toBe(1);
    now += 1;
    expect(await cache.get()).toBe(2);
    now += 1000;
    fail = true;
    await expect(cache.get()).rejects.toThrow('down');
    fail = false;
    expect(await cache.get()).toBe(3);
  });
});
