import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CoordinatorProcess, testZooCfg } from '../coordinator/coordinator-process';
import { runZkCli } from '../tools/zkcli-runner';

// The book's master-worker walkthrough (ZooKeeper: Distributed Process Coordination, ch. 3),
// typed into Debian's zkCli.sh against the coordinator app. One zkCli.sh session on stdin:
// each invocation starts a JVM.
let dir: string;
let coordinator: CoordinatorProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'coordinator-zkcli-'));
});

afterAll(async () => {
  await coordinator?.ensureDead();
  rmSync(dir, { recursive: true, force: true });
});

it('runs the master-worker walkthrough with zkCli.sh', async () => {
  const cfg = path.join(dir, 'zoo.cfg');
  writeFileSync(cfg, testZooCfg(path.join(dir, 'data')));
  coordinator = new CoordinatorProcess(['--config', cfg]);
  const port = await coordinator.port();

  const out = await runZkCli(`127.0.0.1:${port}`, [
    'create -e /master "master1.example.com:2223"',
    'create /workers',
    'create /tasks',
    'create /assign',
    'ls /',
    'ls -w /workers',
    'create -e /workers/worker1.example.com "worker1.example.com:2224"',
    'ls -w /tasks',
    'create -s /tasks/task- "cmd"',
    'ls /tasks',
    'get /master',
    'set -v 0 /master "master2.example.com:2223"',
    'set -v 0 /master "stale"',
    'get -s /master',
    'delete /assign',
    'ls /',
  ]);

  expect(out).toContain('Created /master');
  expect(out).toContain('Created /workers');
  expect(out).toContain('Created /tasks');
  expect(out).toContain('Created /assign');
  expect(out).toContain('[assign, master, tasks, workers, zookeeper]');
  expect(out).toContain('Created /workers/worker1.example.com');
  // The child watches set by ls -w fire when the worker registers and the task is queued.
  expect(out).toMatch(/WatchedEvent state:SyncConnected type:NodeChildrenChanged path:\/workers/);
  expect(out).toMatch(/WatchedEvent state:SyncConnected type:NodeChildrenChanged path:\/tasks/);
  expect(out).toContain('Created /tasks/task-0000000000');
  expect(out).toContain('[task-0000000000]');
  expect(out).toContain('master1.example.com:2223');
  // set -v 0 succeeds once; the second, with a stale version, is refused.
  expect(out).toMatch(/version No is not valid : \/master|BadVersion/);
  expect(out).toContain('master2.example.com:2223');
  expect(out).toMatch(/dataVersion = 1/);
  expect(out).toMatch(/ephemeralOwner = 0x[0-9a-f]*[1-9a-f]/);
  expect(out).toContain('[master, tasks, workers, zookeeper]');
  expect(out).not.toMatch(/Exception|KeeperErrorCode = (?!BadVersion)/);

  coordinator.kill('SIGTERM');
  expect(await coordinator.exited).toEqual({ code: 0, signal: null });
});
