import { EventInbox } from '../../../apps/client/dashboard/src/event-inbox';
import type { ClusterEvent } from '../../../apps/client/dashboard/src/wire';

const data = (taskId: string) => JSON.stringify({ at: '2026-01-01T00:00:00.000Z', taskId });

describe('EventInbox', () => {
  it('applies events in order, named by their SSE event, skipping unreadable data', () => {
    const inbox = new EventInbox();
    inbox.push('task.queued', data('a'));
    inbox.push('task.assigned', 'not json');
    inbox.push('task.assigned', data('a'));
    const seen: ClusterEvent[] = [];
    expect(inbox.drain(100, (e) => seen.push(e))).toBe(0);
    expect(seen.map((e) => [e.type, e.taskId])).toEqual([
      ['task.queued', 'a'],
      ['task.assigned', 'a'],
    ]);
  });

  it('stops when the frame budget is spent and goes on from there next time', () => {
    const inbox = new EventInbox();
    for (let i = 0; i < 100; i++) inbox.push('task.queued', data(String(i)));
    let clock = 0;
    const seen: string[] = [];
    // Each event "costs" 1 ms; the clock is read every 32 events.
    const left = inbox.drain(
      10,
      (e) => {
        seen.push(e.taskId as string);
        clock++;
      },
      () => clock,
    );
    expect(seen).toHaveLength(32);
    expect(left).toBe(68);
    inbox.drain(1000, (e) => seen.push(e.taskId as string));
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
  });

  it('empties itself and says so when the page falls too far behind', () => {
    const inbox = new EventInbox(3);
    expect([1, 2, 3].map((i) => inbox.push('task.queued', data(String(i))))).toEqual([
      true,
      true,
      true,
    ]);
    expect(inbox.push('task.queued', data('4'))).toBe(false);
    expect(inbox.size).toBe(0);
  });
});
