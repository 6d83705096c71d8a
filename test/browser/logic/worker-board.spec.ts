import { WorkerBoard } from '../../../apps/client/dashboard/src/worker-board';
import type { WorkerView } from '../../../apps/client/dashboard/src/wire';

function worker(id: string, running: string[] = [], over: Partial<WorkerView> = {}): WorkerView {
  return { id, host: 'h', pid: 1, concurrency: 2, types: ['sleep'], running, ...over };
}

describe('WorkerBoard', () => {
  let now: number;
  let board: WorkerBoard;

  beforeEach(() => {
    now = 1_000_000;
    board = new WorkerBoard(8000, () => now);
  });

  it('shows a lost worker, where its tasks went, and drops the card after a while', () => {
    board.applySnapshot([worker('w1', ['t1']), worker('w2')], now);
    now += 100;
    expect(board.applyEvent({ type: 'worker.left', at: now, workerId: 'w1' })).toBe(true);
    board.applyEvent({ type: 'task.reassigned', at: now, taskId: 't1', workerId: 'w1' });
    board.applyEvent({ type: 'task.assigned', at: now, taskId: 't1', workerId: 'w2' });
    const [w1, w2] = board.list();
    expect(w1).toMatchObject({ id: 'w1', liveness: 'lost', running: ['t1'] });
    expect(w1.movedTo.get('t1')).toBe('w2');
    expect(w2).toMatchObject({ liveness: 'live', running: ['t1'] });
    expect(board.nextExpiry()).toBe(now + 8000);
    now += 8000;
    expect(board.list().map((c) => c.id)).toEqual(['w2']);
  });

  it('does not let a poll sent before the loss bring a lost worker back', () => {
    const sent = now;
    board.applySnapshot([worker('w1')], sent);
    now += 50;
    board.applyEvent({ type: 'worker.left', at: now, workerId: 'w1' });
    board.applySnapshot([worker('w1')], sent); // answered after the event, read before it
    expect(board.get('w1')?.liveness).toBe('lost');
    now += 10;
    board.applySnapshot([worker('w1')], now); // it registered again
    expect(board.get('w1')?.liveness).toBe('live');
  });

  it('marks a worker lost when a poll no longer lists it (events missed)', () => {
    board.applySnapshot([worker('w1'), worker('w2')], now);
    now += 2000;
    board.applySnapshot([worker('w2')], now);
    expect(board.get('w1')?.liveness).toBe('lost');
  });

  it('keeps a worker that joined after the poll was sent', () => {
    const sent = now;
    now += 10;
    board.applyEvent({ type: 'worker.joined', at: now, workerId: 'w3' });
    board.applySnapshot([], sent);
    expect(board.get('w3')?.liveness).toBe('live');
  });

  it('moves task ids between cards as tasks are assigned and finish', () => {
    board.applySnapshot([worker('w1'), worker('w2', [], { draining: true })], now);
    board.applyEvent({ type: 'task.assigned', at: now, taskId: 't1', workerId: 'w1' });
    expect(board.get('w1')?.running).toEqual(['t1']);
    board.applyEvent({ type: 'task.completed', at: now, taskId: 't1', workerId: 'w1' });
    expect(board.get('w1')?.running).toEqual([]);
    expect(board.get('w2')?.liveness).toBe('draining');
    expect(board.types()).toEqual(['sleep']);
  });
});
