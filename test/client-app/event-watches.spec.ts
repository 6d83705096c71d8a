import request from 'supertest';
import { ZkServer } from '@shepherd/zk-server';
import { ClientAppHarness } from './support/client-app-harness';
import { fourLetterWord } from '../support/four-letter-word';
import { SseReader } from '../support/sse-reader';
import { waitFor } from '../support/wait-for';

// What the client app watches: the arrivals of tasks (/tasks, /status, /dead) for its stats
// and metrics, always; the whole layout only while an event stream is open. A task causes
// about twice as many notifications under the whole layout, sent to every app that watches.

let server: ZkServer;
let h: ClientAppHarness;
let chroot: string;

beforeAll(async () => {
  // wchp: which paths have watches (server paths, so under the app's chroot).
  server = new ZkServer({ port: 0, tickTime: 100, fourLetterWordWhitelist: ['wchp'] });
  await server.start();
  h = await ClientAppHarness.start(server);
  chroot = h.env.ZK_CONNECT.slice(h.env.ZK_CONNECT.indexOf('/'));
});
afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

const watchedPaths = async (): Promise<string[]> =>
  (await fourLetterWord(server.address!.port, 'wchp'))
    .split('\n')
    .filter((line) => line.startsWith('/'));

const watchesRoot = async () => (await watchedPaths()).includes(chroot);

it('watches the arrivals for the tallies, and counts a task finished with no stream open', async () => {
  const paths = await watchedPaths();
  for (const area of ['/tasks', '/status', '/dead']) expect(paths).toContain(chroot + area);
  expect(await watchesRoot()).toBe(false);
  const done = async () =>
    (await request(h.http).get('/stats').expect(200)).body.finishedSinceStart.done as number;
  const before = await done();
  await request(h.http).post('/tasks').send({ type: 'echo', payload: 1 }).expect(202);
  await waitFor('the completion tallied', async () => (await done()) === before + 1);
  expect(await watchesRoot()).toBe(false);
});

it('watches the whole layout while an event stream is open, from before it answers', async () => {
  const first = await SseReader.open(`${h.url}/events`);
  const second = await SseReader.open(`${h.url}/events`);
  try {
    // Set before the streams answered: the next task's events are all in both.
    expect(await watchesRoot()).toBe(true);
    const id = (await request(h.http).post('/tasks').send({ type: 'echo' }).expect(202)).body
      .id as string;
    for (const sse of [first, second]) {
      await sse.waitFor(
        'task.completed',
        (e) => e.event === 'task.completed' && e.data.taskId === id,
      );
      const mine = sse.events.filter((e) => e.data.taskId === id).map((e) => e.event);
      expect(mine).toEqual(expect.arrayContaining(['task.queued', 'task.assigned']));
    }
    first.close();
    // One stream still open: still watched.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await watchesRoot()).toBe(true);
  } finally {
    first.close();
    second.close();
  }
  await waitFor(
    'the layout watch removed with the last stream',
    async () => !(await watchesRoot()),
    {
      timeoutMs: 5000,
    },
  );
});
