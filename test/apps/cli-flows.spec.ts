import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { Master, TaskContext, TaskQueueClient, Worker } from '@shepherd/taskqueue';
import { ZkServer } from '@shepherd/zk-server';
import { cliOn } from './support/captured-cli';
import { waitFor } from '../support/wait-for';

// `shepherd flows`, run in this process (runCli, output captured) against an embedded
// coordinator with a real master (which releases the flows' tasks) and worker.

let server: ZkServer;
let connectString: string;
let connection: ZooKeeperConnection;
let client: TaskQueueClient;
let master: Master;
let worker: Worker;
let dir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  server = new ZkServer({ port: 0, tickTime: 100 });
  await server.start();
  connectString = `${server.connectString}/cli-flows-${process.pid}`;
  dir = mkdtempSync(join(tmpdir(), 'shepherd-cli-flows-'));
  // The first command creates the chroot (and refuses an unknown flow); the roles come after.
  expect((await cli('flows', 'flow-0000000000000000a')).code).toBe(2);
  connection = new ZooKeeperConnection({ connectString, sessionTimeoutMs: 2000 });
  await connection.connect();
  client = new TaskQueueClient({ connection });
  master = new Master({ id: 'm1', connection });
  await master.start();
  await waitFor('m1 to lead', () => master.isLeader);
  worker = new Worker({
    id: 'w1',
    connection,
    concurrency: 2,
    handlers: {
      echo: (t: TaskContext) => t.payload,
      join: (t: TaskContext) => ({ ...t.dependencies }),
      sleep: (t: TaskContext) =>
        new Promise((resolve) => {
          const timer = setTimeout(resolve, (t.payload as { ms: number }).ms);
          t.signal.addEventListener('abort', () => clearTimeout(timer));
        }),
    },
    shutdownGraceMs: 0,
    closeConnection: false,
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop({ graceMs: 0 }).catch(() => undefined);
  await master?.stop().catch(() => undefined);
  client?.close();
  await connection?.close().catch(() => undefined);
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.env = savedEnv;
});

const cli = cliOn(() => connectString);

const diamond = {
  tasks: [
    { key: 'a', type: 'echo', payload: 'A' },
    { key: 'b', type: 'echo', payload: 'B', dependsOn: ['a'] },
    { key: 'd', type: 'join', dependsOn: ['a', 'b'] },
  ],
};

describe('shepherd flows', () => {
  it('submit --wait runs the DAG and prints the finished flow; exit 0 when all are done', async () => {
    const r = await cli('flows', 'submit', JSON.stringify(diamond), '--wait');
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    const flow = JSON.parse(r.out) as {
      id: string;
      state: string;
      tasks: { key: string; id: string; state: string }[];
    };
    expect(flow.state).toBe('done');
    expect(flow.tasks.map((t) => [t.key, t.state])).toEqual([
      ['a', 'done'],
      ['b', 'done'],
      ['d', 'done'],
    ]);
    const d = await client.get(flow.tasks[2].id);
    expect(d.result).toEqual({ a: 'A', b: 'B' });
  });

  it('submit from a file, show, and cancel with a reason', async () => {
    const file = join(dir, 'flow.json');
    writeFileSync(
      file,
      JSON.stringify({
        tasks: [
          { key: 'slow', type: 'sleep', payload: { ms: 30_000 } },
          { key: 'after', type: 'echo', payload: 1, dependsOn: ['slow'] },
        ],
      }),
    );
    const created = await cli('flows', 'submit', `@${file}`);
    expect(created.code).toBe(0);
    const { id, tasks } = JSON.parse(created.out) as { id: string; tasks: Record<string, string> };
    expect(Object.keys(tasks)).toEqual(['slow', 'after']);
    const shown = JSON.parse((await cli('flows', id)).out) as { state: string; createdAt: string };
    expect(shown.state).toBe('running');
    expect(shown.createdAt).toMatch(/Z$/);
    const cancelled = await cli('flows', 'cancel', id, '--reason', 'not needed');
    expect(cancelled.code).toBe(0);
    expect(JSON.parse(cancelled.out)).toMatchObject({
      state: 'cancelled',
      cancelled: { reason: 'not needed' },
    });
    const after = await client.wait(tasks.after, 10_000);
    expect(after.state).toBe('cancelled');
  });

  it('refuses bad command lines and bad flows with exit 2 and one line', async () => {
    const cases: [string[], RegExp][] = [
      [['flows'], /^shepherd flows: missing <flow-id>/],
      [['flows', 'submit'], /^shepherd flows: missing the flow/],
      [['flows', 'submit', '{bad'], /^shepherd flows: the flow is not JSON/],
      [['flows', 'submit', '@/nonexistent/flow.json'], /^shepherd flows: cannot read /],
      [['flows', 'show', 'x', 'y'], /^shepherd flows: unexpected argument "y"/],
      [['flows', 'flow-1', '--wait'], /--wait is for shepherd flows submit/],
      [
        [
          'flows',
          'submit',
          JSON.stringify({ tasks: [{ key: 'a', type: 'echo', dependsOn: ['a'] }] }),
        ],
        /^shepherd flows: .*a/,
      ],
      [
        [
          'flows',
          'submit',
          JSON.stringify({
            tasks: [
              { key: 'a', type: 'echo', dependsOn: ['b'] },
              { key: 'b', type: 'echo', dependsOn: ['a'] },
            ],
          }),
        ],
        /cycle/,
      ],
      [['flows', 'flow-0000000000000000a'], /^shepherd flows: .*flow-0000000000000000a/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 2, out: '' });
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });
});
