import { Subscription, filter, firstValueFrom } from 'rxjs';
import { ZkServer } from '@shepherd/zk-server';
import { ClusterEvent } from '@shepherd/taskqueue';
import { Blackout } from '../../../../test/support/lossy-transport';
import { waitFor } from '../../../../test/support/wait-for';
import { Namespace } from './support';

/**
 * An event stream tells its own client's submissions on arrival without reading them only
 * while it can be sure it heard the create: a submission whose notification may have been lost
 * in a disconnect is not trusted, so the task's next arrival is read and told as what it is.
 */
describe('own submissions across a disconnect', () => {
  let server: ZkServer;
  let ns: Namespace;
  let blackout: Blackout;
  let sub: Subscription | undefined;
  beforeAll(async () => {
    server = new ZkServer({ port: 0, tickTime: 100 });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    blackout = new Blackout();
    ns = await Namespace.open(server, { transportFactory: blackout.factory });
  });
  afterEach(async () => {
    sub?.unsubscribe();
    await ns.close();
  });

  it('reads the next arrival of a task submitted while deaf: reassigned, not queued', async () => {
    await ns.client.submit('warm-up', null);
    const seen: ClusterEvent[] = [];
    sub = ns.client.taskEvents$.subscribe((e) => seen.push(e));
    await ns.client.whenWatching('tasks');
    const reconnected = firstValueFrom(
      ns.connection.events$.pipe(filter((e) => e.type === 'reconnected')),
    );
    // The create lands; its notification and its reply are never heard; the submit finds the
    // task by reading it back after the reconnect.
    blackout.deafen(300);
    const task = await ns.client.submit('echo', 1);
    await reconnected;
    await ns.registerWorker('w1');
    await ns.assign(task.id, 'w1');
    await ns.recover(task.id, 'w1');
    await waitFor('the task’s arrival', () => seen.some((e) => e.taskId === task.id));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.filter((e) => e.taskId === task.id).map((e) => e.type)).toEqual([
      'task.reassigned',
    ]);
  });
});
