import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LocalCluster } from '../../apps/up/src/local-cluster';
import { REPO_ROOT, TS_NODE_ARGS, appEntry } from '../apps/support/app-process';
import { freePorts } from '../support/free-port';
import { SseReader } from '../support/sse-reader';
import { waitFor } from '../support/wait-for';

// The product as a user runs it: the coordinator, two masters, two workers and the client app,
// each its own process (what `npm start` launches, on the ts-node entries). Everything below
// goes through the REST API and the SSE stream only.
jest.setTimeout(600_000);

interface Task {
  id: string;
  state: string;
  worker?: string;
  attempts: number;
  history: { at: string; event: string; worker?: string; detail?: string }[];
}

let cluster: LocalCluster;
let base: string;
let dir: string;
const TOKEN = 'e2e-secret-token';
const auth = { Authorization: `Bearer ${TOKEN}` };

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300)
    throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  const [zkPort, port] = await freePorts(2);
  dir = mkdtempSync(join(tmpdir(), 'shepherd-e2e-'));
  cluster = new LocalCluster({
    entries: {
      coordinator: appEntry('coordinator'),
      master: appEntry('master'),
      worker: appEntry('worker'),
      client: appEntry('client'),
    },
    nodeArgs: TS_NODE_ARGS,
    cwd: REPO_ROOT,
    zkPort,
    port,
    masters: 2,
    workers: 2,
    dataDir: join(dir, 'data'),
    sessionTimeoutMs: 2000,
    apiToken: TOKEN,
    output: () => undefined,
    startTimeoutMs: 300_000,
  });
  base = (await cluster.start()).baseUrl!;
}, 360_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('a worker killed mid-task: every task completes once, the reassignment shows in history and events', async () => {
  const sse = await SseReader.open(`${base}/events`, auth);
  expect(sse.status).toBe(200);
  const { ids } = await api<{ ids: string[] }>('POST', '/tasks/batch', {
    tasks: Array.from({ length: 12 }, () => ({ type: 'sleep', payload: { ms: 3000 } })),
  });
  expect(ids).toHaveLength(12);

  // Wait until worker-1 is running some of them, then kill -9 it.
  const victimTasks = await waitFor('worker-1 to run tasks', async () => {
    const workers = await api<{ id: string; running: string[] }[]>('GET', '/workers');
    const w1 = workers.find((w) => w.id === 'worker-1');
    return w1 && w1.running.length > 0 ? w1.running : undefined;
  });
  process.kill(cluster.pids['worker-1']!, 'SIGKILL');

  const finished = await Promise.all(ids.map((id) => api<Task>('GET', `/tasks/${id}?wait=60`)));
  for (const t of finished) {
    expect(t.state).toBe('done');
    expect(t.history.filter((h) => h.event === 'completed')).toHaveLength(1);
  }
  for (const id of victimTasks) {
    const t = finished.find((x) => x.id === id)!;
    expect(t.worker).toBe('worker-2');
    expect(t.history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'reassigned', worker: 'worker-1' }),
      ]),
    );
  }
  await waitFor('the events of the reassignment', () => {
    const reassigned = sse.of('task.reassigned') as { taskId: string }[];
    const left = sse.of('worker.left') as { workerId: string }[];
    const completed = sse.of('task.completed') as { taskId: string }[];
    return (
      victimTasks.every((id) => reassigned.some((e) => e.taskId === id)) &&
      left.some((e) => e.workerId === 'worker-1') &&
      ids.every((id) => completed.filter((e) => e.taskId === id).length === 1)
    );
  });
  sse.close();
});

it('the leading master killed: the backup takes over and tasks keep completing', async () => {
  const before = await api<{ leader: string | null }>('GET', '/masters');
  expect(before.leader).toMatch(/^master-[12]$/);
  process.kill(cluster.pids[before.leader!]!, 'SIGKILL');
  const after = await waitFor('another master to lead', async () => {
    const m = await api<{ leader: string | null }>('GET', '/masters');
    return m.leader && m.leader !== before.leader ? m : undefined;
  });
  expect(after.leader).not.toBe(before.leader);
  const { ids } = await api<{ ids: string[] }>('POST', '/tasks/batch', {
    tasks: Array.from({ length: 5 }, (_, i) => ({ type: 'echo', payload: { i } })),
  });
  const done = await Promise.all(ids.map((id) => api<Task>('GET', `/tasks/${id}?wait=60`)));
  expect(done.map((t) => t.state)).toEqual(Array(5).fill('done'));
});
