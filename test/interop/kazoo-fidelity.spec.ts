import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { CoordinatorProcess, testZooCfg } from '../coordinator/coordinator-process';
import { ZkCluster, startStandalone } from '../support/zk-harness';
import { runKazoo } from '../tools/kazoo-runner';

// kazoo (Python) as a new user runs it, against Apache ZooKeeper 3.8 and against the coordinator
// app: null vs empty data, CREATOR_ALL_ACL with and without digest auth, and every ACL scheme
// with valid, malformed and null ids. The script prints one line per case; both servers must
// print the same lines.
const SCRIPT = path.join(__dirname, 'kazoo', 'fidelity.py');

let dir: string;
let zk: ZkCluster | undefined;
let coordinator: CoordinatorProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kazoo-fidelity-'));
  zk = await startStandalone();
}, 120_000);

afterAll(async () => {
  await coordinator?.ensureDead();
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function lines(out: string): Map<string, string> {
  const cases = new Map<string, string>();
  for (const line of out.trim().split('\n')) {
    const at = line.indexOf(' -> ');
    cases.set(line.slice(0, at), line.slice(at + 4));
  }
  return cases;
}

it('answers kazoo as Apache ZooKeeper 3.8 does, case by case', async () => {
  if (!zk) throw new Error('ZooKeeper is not running: see the beforeAll failure above');
  const cfg = path.join(dir, 'zoo.cfg');
  writeFileSync(cfg, testZooCfg(path.join(dir, 'data')));
  coordinator = new CoordinatorProcess(['--config', cfg]);
  const port = await coordinator.port();

  const apache = lines(await runKazoo(SCRIPT, [zk.connectString]));
  const ours = lines(await runKazoo(SCRIPT, [`127.0.0.1:${port}`]));

  // What the issue found, on Apache ZooKeeper: null data reads back as None, not b''.
  expect(apache.get('create None, get')).toBe('ok None');
  expect(apache.get('set None, get')).toBe('ok None');
  expect(apache.get('create b"", get')).toBe("ok b''");
  expect(apache.get('CREATOR_ALL_ACL without auth')).toBe('InvalidACLError');
  expect(apache.get('CREATOR_ALL_ACL with digest')).toMatch(/^ok \["Id\(scheme='digest', id='kaz:/);
  expect(apache.size).toBe(79);
  // And the coordinator the same, line for line.
  expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(apache));
  // Nothing it was sent broke it for the next client.
  const client = new ZooKeeperClient(`127.0.0.1:${port}`);
  try {
    await client.connect();
    expect(await client.exists('/kazoo-fidelity')).not.toBeNull();
  } finally {
    await client.close();
  }
}, 180_000);
