import { timelineOf } from '../../../apps/client/dashboard/src/timeline';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();

describe('timelineOf', () => {
  it('reads a worker loss and the next assignment as one line', () => {
    const items = timelineOf([
      { at: at(0), event: 'queued' },
      { at: at(1), event: 'assigned', worker: 'w1' },
      { at: at(2), event: 'started', worker: 'w1' },
      { at: at(5), event: 'reassigned', worker: 'w1', detail: 'worker lost' },
      { at: at(6), event: 'assigned', worker: 'w2' },
      { at: at(7), event: 'started', worker: 'w2' },
      { at: at(9), event: 'completed', worker: 'w2' },
    ]);
    expect(items.map((i) => i.text)).toEqual([
      'queued',
      'assigned to w1',
      'started on w1',
      'worker w1 lost, reassigned to w2',
      'started on w2',
      'completed on w2',
    ]);
    expect(items[3]).toMatchObject({
      event: 'reassigned',
      tone: 'warn',
      at: Date.parse(at(5)),
      thenAt: Date.parse(at(6)),
    });
    expect(items[5].tone).toBe('good');
  });

  it('says where a lost task is while it waits, and keeps the reason a restart gives', () => {
    expect(
      timelineOf([{ at: 1, event: 'reassigned', worker: 'w1', detail: 'worker lost' }])[0].text,
    ).toBe('worker w1 lost, back in the queue');
    expect(
      timelineOf([
        { at: 1, event: 'reassigned', worker: 'w1', detail: 'worker restarted' },
        { at: 2, event: 'assigned', worker: 'w1' },
      ])[0].text,
    ).toBe('worker w1 restarted, reassigned to w1');
  });

  it('merges a hand-back on shutdown with the next assignment', () => {
    const items = timelineOf([
      { at: 1, event: 'handed-back', worker: 'w1', detail: 'worker shutting down' },
      { at: 2, event: 'assigned', worker: 'w3' },
    ]);
    expect(items).toHaveLength(1);
    expect(items[0].text).toBe('handed back by w1, reassigned to w3');
  });

  it('shows failures, retries and the end of the attempts with their details', () => {
    const items = timelineOf([
      { at: 1, event: 'failed', worker: 'w1', detail: 'boom' },
      { at: 1, event: 'retry-scheduled', detail: 'in 1000 ms' },
      { at: 3, event: 'timed-out', worker: 'w2', detail: 'after 50 ms' },
      { at: 4, event: 'dead', detail: '3 of 3 attempts used' },
      { at: 5, event: 'redriven', detail: 'dead' },
      { at: 6, event: 'cancelled', detail: 'by operator' },
    ]);
    expect(items.map((i) => [i.text, i.tone])).toEqual([
      ['failed on w1: boom', 'bad'],
      ['retry scheduled in 1000 ms', 'warn'],
      ['timed out on w2: after 50 ms', 'bad'],
      ['dead: 3 of 3 attempts used', 'bad'],
      ['redriven from dead', 'normal'],
      ['cancelled: by operator', 'warn'],
    ]);
  });
});
