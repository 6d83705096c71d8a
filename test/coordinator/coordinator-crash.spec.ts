import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { CreateMode } from '@shepherd/zk-protocol';
import { ZooKeeperClient, isConnected } from '@shepherd/zk-client';
import { CoordinatorProcess, testZooCfg } from './coordinator-process';
import { waitFor } from '../support/wait-for';

// kill -9 in the middle of a steady stream of pipelined writes. ZooKeeper's promise, which the
// group commit must keep: a write is acknowledged only once it is in the txn log on disk, so
// every acknowledged write survives; and a txn is all or nothing, so each multi (two creates)
// is either fully there or not at all after recovery.
jest.setTimeout(90000);

const IN_FLIGHT = 64;
const PERSISTENT = { mode: CreateMode.PERSISTENT };
const MIN_ACKED = 300;

let dir: string;
const procs: CoordinatorProcess[] = [];
const clients: ZooKeeperClient[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'coordinator-crash-'));
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => closeQuietly(c)));
  await Promise.all(procs.splice(0).map((p) => p.ensureDead()));
  rmSync(dir, { recursive: true, force: true });
});

/** The writer's client cannot reach the killed server again; do not wait on it for long. */
async function closeQuietly(client: ZooKeeperClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)));
  await Promise.race([client.close().catch(() => undefined), timeout]);
  clearTimeout(timer);
}

function start(cfg: string): CoordinatorProcess {
  const p = new CoordinatorProcess(['--config', cfg]);
  procs.push(p);
  return p;
}

it('keeps every acknowledged write and no half-applied multi across kill -9', async () => {
  const cfg = path.join(dir, 'zoo.cfg');
  // A small snapCount so snapshots are written (and raced by the kill) too.
  writeFileSync(cfg, testZooCfg(path.join(dir, 'data'), ['snapCount=100']));
  const first = start(cfg);
  const writer = new ZooKeeperClient(`127.0.0.1:${await first.port()}`, { sessionTimeout: 4000 });
  clients.push(writer);
  await writer.connect();
  await writer.create('/a');
  await writer.create('/b');

  const acked = new Set<number>();
  let issued = 0;
  let inFlight = 0;
  let killed = false;
  const failures: unknown[] = [];
  const pending: Promise<void>[] = [];
  // Steady pipelined load: every completion issues the next write at once, so IN_FLIGHT
  // writes stay outstanding until the kill (a refill on a timer can find the pipe drained).
  const launch = (): void => {
    const i = issued++;
    inFlight++;
    pending.push(
      writer
        .multi([
          { type: 'create', path: `/a/n${i}`, data: Buffer.from(String(i)), options: PERSISTENT },
          { type: 'create', path: `/b/n${i}`, data: Buffer.from(String(i)), options: PERSISTENT },
        ])
        .then(
          () => {
            acked.add(i);
          },
          (err: unknown) => {
            if (!killed) failures.push(err);
          },
        )
        .finally(() => {
          inFlight--;
          if (!killed) launch();
        }),
    );
  };
  for (let k = 0; k < IN_FLIGHT; k++) launch();
  try {
    await waitFor(
      'enough acknowledged writes',
      () => acked.size >= MIN_ACKED || failures.length > 0,
      {
        timeoutMs: 60000,
        intervalMs: 5,
      },
    );
  } finally {
    // Stops the load loop even when the wait fails, so nothing keeps running after the test.
    killed = true;
  }
  expect(failures).toEqual([]);
  // kill -9 while writes are outstanding; from here on, acks can no longer arrive.
  const inFlightAtKill = inFlight;
  first.kill('SIGKILL');
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  const ackedAtKill = new Set(acked);
  // Close once the client has seen the connection drop, so close() does not send a
  // closeSession into a dead socket.
  await waitFor('the writer to notice the kill', () => !isConnected(writer.state));
  await closeQuietly(writer);
  await Promise.allSettled(pending);
  expect(inFlightAtKill).toBeGreaterThan(0);
  // Acks seen after the kill were sent before it: they count too.
  for (const i of acked) ackedAtKill.add(i);

  const second = start(cfg);
  const reader = new ZooKeeperClient(`127.0.0.1:${await second.port()}`);
  clients.push(reader);
  await reader.connect();
  const a = new Set((await reader.getChildren('/a')).map((n) => Number(n.slice(1))));
  const b = new Set((await reader.getChildren('/b')).map((n) => Number(n.slice(1))));

  const lostAcked = [...ackedAtKill].filter((i) => !a.has(i) || !b.has(i));
  expect(lostAcked).toEqual([]);
  const halfApplied = [...new Set([...a, ...b])].filter((i) => a.has(i) !== b.has(i));
  expect(halfApplied).toEqual([]);
  // One session's writes are logged in order, and recovery keeps a prefix of the log.
  const present = [...a].sort((x, y) => x - y);
  expect(present).toEqual(present.map((_, k) => k));
  expect(present.length).toBeLessThanOrEqual(issued);
  expect((await reader.getData(`/a/n${present.length - 1}`)).data?.toString()).toBe(
    String(present.length - 1),
  );
  expect(second.logs.map((l) => l.msg)).not.toContain('server error');
});
