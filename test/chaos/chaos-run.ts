import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { ZooKeeperConnection } from '@shepherd/coordination';
import {
  ClusterEvent,
  FlowCreated,
  TaskQueueClient,
  TaskView,
  isTerminal,
} from '@shepherd/taskqueue';
import { ruok } from '../../apps/up/src/probes';
import { freePort } from '../support/free-port';
import { RoleProcess } from '../support/taskqueue/role-process';
import { createChroot } from '../support/taskqueue/chroot';
import { readExecutions } from '../support/taskqueue/exec-log';
import { auditTree } from '../support/taskqueue/tree-audit';
import { ZkCluster, startEnsemble } from '../support/zk-harness';
import { delay, waitFor } from '../support/wait-for';
import { InvariantReport, Zombie, checkInvariants } from './invariants';
import { checkFlowOrder, submitChaosFlow } from './flow-work';
import { CHAOS_SCHEDULE, collectScheduledTasks, startChaosSchedule } from './scheduled-work';

const REPO_ROOT = resolve(__dirname, '../..');
const COORDINATOR_ENTRY = 'apps/coordinator/src/main.ts';

export type FaultKind =
  | 'kill-worker'
  | 'kill-leader-master'
  | 'kill-coordinator'
  | 'kill-zk-leader'
  | 'kill-zk-follower'
  | 'freeze-worker';

export interface ChaosOptions {
  target: 'embedded' | 'ensemble';
  tasks: number;
  faults: number;
  seed: number;
  /** Tasks submitted per second. */
  rate: number;
  workers?: number;
  concurrency?: number;
  sessionTimeoutMs?: number;
  /** How long the tasks may take to drain once submitting and faults are over. */
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ChaosResult extends InvariantReport {
  target: string;
  seed: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  faultsUnderLoad: number;
  submitRetries: number;
  eventsSeen: number;
  executions: number;
  durationMs: number;
}

/** mulberry32: a small seeded PRNG, so a schedule is reproducible from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The fault schedule: every kind the target supports at least once (the leading master twice),
 * the rest worker kills, in a seeded order (a ZooKeeper leader kill always before the follower's).
 */
export function faultSchedule(
  target: ChaosOptions['target'],
  count: number,
  random: () => number,
): FaultKind[] {
  const required: FaultKind[] = [
    'kill-leader-master',
    'kill-leader-master',
    'freeze-worker',
    'kill-worker',
  ];
  if (target === 'embedded') required.push('kill-coordinator');
  else required.push('kill-zk-leader', 'kill-zk-follower');
  const list = [...required];
  while (list.length < count) list.push(random() < 0.8 ? 'kill-worker' : 'freeze-worker');
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  const leader = list.indexOf('kill-zk-leader');
  const follower = list.indexOf('kill-zk-follower');
  if (leader > follower && follower >= 0)
    [list[leader], list[follower]] = [list[follower], list[leader]];
  return list;
}

/** The coordination service under the cluster, with its own faults. */
interface Backend {
  connectString: string;
  kill(kind: FaultKind): Promise<string>;
  close(): Promise<void>;
}

/** The embedded coordinator as its own process, restartable from its dataDir. */
async function embeddedBackend(dir: string, log: (l: string) => void): Promise<Backend> {
  const port = await freePort();
  const dataDir = join(dir, 'coordinator-data');
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        COORDINATOR_ENTRY,
        '--clientPort',
        String(port),
        '--dataDir',
        dataDir,
        // 500 ms ticks: sessions of 1 to 10 s.
        '--tickTime',
        '500',
        '--4lw.commands.whitelist',
        'ruok,srvr',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const c = child;
    let stderr = '';
    c.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    exited = new Promise((done) => c.once('exit', () => done()));
    await waitFor(
      'the coordinator to answer ruok',
      async () => {
        if (c.exitCode !== null) throw new Error(`the coordinator exited:\n${stderr}`);
        return ruok('127.0.0.1', port, 500);
      },
      { timeoutMs: 60000, intervalMs: 100 },
    );
  };
  await start();
  return {
    connectString: `127.0.0.1:${port}`,
    async kill(kind) {
      if (kind !== 'kill-coordinator') throw new Error(`${kind} is not a fault of the coordinator`);
      child!.kill('SIGKILL');
      await exited;
      const t0 = Date.now();
      await start();
      log(`  coordinator restarted from its dataDir in ${Date.now() - t0} ms`);
      return 'coordinator';
    },
    async close() {
      child?.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A 3-server Apache ZooKeeper ensemble; a killed member is restarted once the next fault is due. */
async function ensembleBackend(log: (l: string) => void): Promise<Backend> {
  const zk: ZkCluster = await startEnsemble(3);
  const down: number[] = [];
  return {
    connectString: zk.connectString,
    async kill(kind) {
      // One member down at a time: bring back the last one first, so a quorum stays.
      while (down.length) await zk.start(down.pop()!);
      const leader = await zk.leaderIndex();
      const index = kind === 'kill-zk-leader' ? leader : (leader + 1) % 3;
      await zk.kill(index);
      down.push(index);
      log(
        `  zookeeper server ${index + 1} (${kind === 'kill-zk-leader' ? 'leader' : 'follower'}) killed`,
      );
      return `zk-${index + 1}`;
    },
    async close() {
      await zk.stop();
    },
  };
}

interface Role {
  proc: RoleProcess;
  ready: boolean;
  /** Killed or frozen by the run: not counted as a live member. */
  retired: boolean;
}

/**
 * One chaos run: a coordinator (or ensemble), two masters and `workers` workers, each its own
 * process; tasks submitted at `rate` per second while the seeded faults land; then the
 * invariant checker over the final tree, every record, the workers' execution log and the
 * events the client saw.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const random = prng(options.seed);
  const workers = options.workers ?? 3;
  const sessionTimeoutMs =
    options.sessionTimeoutMs ?? (options.target === 'embedded' ? 2000 : 4000);
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-chaos-'));
  const execLog = join(dir, 'exec.log');
  const backend =
    options.target === 'embedded' ? await embeddedBackend(dir, log) : await ensembleBackend(log);
  const chroot = `/chaos-${options.seed}`;
  const roles: Role[] = [];
  let connection: ZooKeeperConnection | undefined;
  let client: TaskQueueClient | undefined;
  try {
    await createChroot(backend.connectString, chroot);
    const connectString = `${backend.connectString}${chroot}`;
    connection = new ZooKeeperConnection({ connectString, sessionTimeoutMs: 10000 });
    const raw = await connection.connect();
    client = new TaskQueueClient({ connection });
    const events: ClusterEvent[] = [];
    const subscription = client.events$.subscribe((e) => events.push(e));

    let serial = 0;
    const spawnRole = (role: 'master' | 'worker') => {
      const proc = new RoleProcess({
        role,
        id: `${role === 'master' ? 'm' : 'w'}${++serial}`,
        connectString,
        sessionTimeoutMs,
        concurrency: options.concurrency ?? 8,
        execLog,
      });
      const r: Role = { proc, ready: false, retired: false };
      roles.push(r);
      return proc.ready(120000).then(() => {
        r.ready = true;
      });
    };
    const live = (role: 'master' | 'worker') =>
      roles.filter((r) => r.proc.options.role === role && !r.retired);
    /**
     * Replaces members that died or were retired, so the cluster keeps its size. Resolves once
     * they are ready; the fault loop does not wait for that (the next fault is due on its clock).
     */
    const replenish = async () => {
      const exitedOnTheirOwn = await Promise.all(
        roles.map((r) =>
          Promise.race([r.proc.exited.then(() => true), delay(0).then(() => false)]),
        ),
      );
      roles.forEach((r, i) => {
        if (exitedOnTheirOwn[i] && !r.retired) {
          log(`  ${r.proc.id} exited on its own; replacing it`);
          r.retired = true;
        }
      });
      const wanted: Promise<unknown>[] = [];
      for (let i = live('master').length; i < 2; i++) wanted.push(spawnRole('master'));
      for (let i = live('worker').length; i < workers; i++) wanted.push(spawnRole('worker'));
      await Promise.all(wanted);
    };
    await replenish();
    await waitFor('a leading master', async () => (await client!.masters()).leader ?? undefined, {
      timeoutMs: 60000,
    });
    log(
      `cluster up on ${options.target}: 2 masters, ${workers} workers (session ${sessionTimeoutMs} ms)`,
    );
    // A schedule fires all through the run: each fire time must make exactly one task, also
    // when the leading master is killed at it.
    await startChaosSchedule(client);

    // Submitting: fixed-size batches on a steady clock, each retried with the same idempotency
    // keys until accepted, so a batch in doubt (connection lost mid-multi) is never queued twice.
    const accepted = new Set<string>();
    let submitRetries = 0;
    const flows: FlowCreated[] = [];
    const batch = Math.max(1, Math.round(options.rate / 10));
    const submitter = (async () => {
      const t0 = Date.now();
      for (let i = 0; i < options.tasks; i += batch) {
        const items = Array.from({ length: Math.min(batch, options.tasks - i) }, (_, k) => {
          const n = i + k;
          // Mostly short sleeps; one in ten ignores its AbortSignal (a zombie finishes it anyway).
          const stubborn = n % 10 === 0;
          return {
            type: stubborn ? 'stubborn' : 'sleep',
            payload: { ms: stubborn ? 200 + (n % 7) * 100 : 5 + (n % 13) * 10 },
            options: { maxAttempts: 25, idempotencyKey: `chaos-${options.seed}-${n}` },
          };
        });
        // One flow (a diamond of four tasks) every five batches: its tasks wait in /waiting
        // and are released by whichever master leads when their dependencies end.
        if ((i / batch) % 5 === 0) {
          const flow = await submitChaosFlow(client!, i);
          if (flow === undefined) submitRetries++;
          else {
            flows.push(flow);
            for (const id of Object.values(flow.tasks)) accepted.add(id);
          }
        }
        for (;;) {
          try {
            const views = await client!.submitMany(items);
            for (const v of views) accepted.add(v.id);
            break;
          } catch {
            submitRetries++;
            await delay(200);
          }
        }
        const due = t0 + ((i + batch) / options.rate) * 1000;
        if (due > Date.now()) await delay(due - Date.now());
      }
    })();

    // Faults: at seeded moments spread over the submitting time, one after the other.
    const schedule = faultSchedule(options.target, options.faults, random);
    const byKind: Record<string, number> = {};
    const zombies: Zombie[] = [];
    const frozen: RoleProcess[] = [];
    const spanMs = (options.tasks / options.rate) * 1000;
    const gapMs = spanMs / (schedule.length + 1);
    const faultsStart = Date.now();
    const respawns: Promise<unknown>[] = [];
    const background = () => {
      const p = replenish();
      p.catch(() => undefined);
      respawns.push(p);
    };
    let injected = 0;
    /** Faults injected while tasks were queued or in flight. */
    let underLoad = 0;
    const execLines = () => readExecutions(execLog).length;
    for (const [index, kind] of schedule.entries()) {
      // Each fault at its seeded moment on one clock (never waiting for the previous fault's
      // respawns), so that they land while tasks are still coming in.
      const due = faultsStart + gapMs * (index + 0.5 + random());
      if (due > Date.now()) await delay(due - Date.now());
      const readyWorkers = () => live('worker').filter((r) => r.ready);
      await waitFor('a ready worker to fault', () => readyWorkers().length > 0 || undefined, {
        timeoutMs: 120000,
      });
      const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
      const counts = await client.counts().catch(() => undefined);
      if (counts && counts.queued + counts.inFlight > 0) underLoad++;
      let what: string;
      switch (kind) {
        case 'kill-worker': {
          const r = pick(readyWorkers());
          r.retired = true;
          await r.proc.crash();
          what = r.proc.id;
          break;
        }
        case 'kill-leader-master': {
          const leader = await waitFor(
            'a leader',
            async () => (await client!.masters()).leader ?? undefined,
            {
              timeoutMs: 60000,
            },
          );
          const r = roles.find((x) => x.proc.id === leader && !x.retired);
          if (!r) throw new Error(`the leader ${leader} is not one of the run's masters`);
          r.retired = true;
          await r.proc.crash();
          await waitFor(
            'another master to lead',
            async () => {
              const now = (await client!.masters()).leader;
              return now !== null && now !== leader ? now : undefined;
            },
            { timeoutMs: sessionTimeoutMs * 5 + 30000 },
          );
          what = leader;
          break;
        }
        case 'freeze-worker': {
          // The busiest worker, so that it is frozen holding tasks (and becomes a real zombie).
          const views = await client!.workers();
          const busy = (id: string) => views.find((w) => w.id === id)?.running.length ?? 0;
          const r = readyWorkers().reduce((a, b) => (busy(b.proc.id) > busy(a.proc.id) ? b : a));
          r.retired = true;
          const zombie = {
            worker: r.proc.id,
            frozenAt: Date.now(),
            resumedAt: Infinity,
            logIndex: execLines(),
          };
          zombies.push(zombie);
          r.proc.signal('SIGSTOP');
          frozen.push(r.proc);
          // Past its session timeout: until the cluster has seen it leave.
          await waitFor(
            `${r.proc.id} to leave`,
            async () => !(await client!.workers()).some((w) => w.id === r.proc.id) || undefined,
            { timeoutMs: sessionTimeoutMs * 10 + 30000, intervalMs: 200 },
          );
          background();
          await delay(500);
          zombie.resumedAt = Date.now();
          r.proc.signal('SIGCONT');
          what = `${r.proc.id} (frozen, then resumed as a zombie)`;
          break;
        }
        default:
          what = await backend.kill(kind);
      }
      background();
      injected++;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      log(
        `fault ${injected}/${schedule.length}: ${kind} ${what} (accepted so far ${accepted.size})`,
      );
    }
    await submitter;
    await Promise.allSettled(respawns);
    await replenish();
    const views = new Map<string, TaskView | undefined>();
    const scheduled = await collectScheduledTasks(client, () => auditTree(raw), accepted, views);
    for (const id of scheduled.ids) accepted.add(id);
    log(
      `submitted ${accepted.size - scheduled.ids.length} tasks (${submitRetries} batch retries), ` +
        `the schedule fired ${scheduled.ids.length}; draining`,
    );

    // Drain: every accepted task terminal, or the time is up (the checker then names the rest).
    const pending = new Set(accepted);
    const drainDeadline = Date.now() + (options.drainTimeoutMs ?? 180000);
    while (pending.size > 0 && Date.now() < drainDeadline) {
      const ids = [...pending];
      for (let i = 0; i < ids.length; i += 200) {
        await Promise.all(
          ids.slice(i, i + 200).map(async (id) => {
            try {
              const v = await client!.get(id);
              views.set(id, v);
              if (isTerminal(v.state)) pending.delete(id);
            } catch {
              views.set(id, undefined);
            }
          }),
        );
      }
      if (pending.size > 0) await delay(500);
    }
    // Let a resumed zombie finish what it was running, and the last events arrive.
    await delay(Math.max(2000, sessionTimeoutMs));
    for (const id of accepted) {
      try {
        views.set(id, await client.get(id));
      } catch {
        views.set(id, undefined);
      }
    }
    const audit = await auditTree(raw);
    subscription.unsubscribe();
    const executions = readExecutions(execLog);
    const report = checkInvariants({ accepted, views, audit, executions, events, zombies });
    for (const at of scheduled.duplicateFireTimes) {
      report.duplicated++;
      report.violations.push(`schedule ${CHAOS_SCHEDULE}: fire time ${at} made more than one task`);
    }
    for (const text of checkFlowOrder(flows, views)) {
      report.historyMismatches++;
      report.violations.push(text);
    }
    report.flows = flows.length;
    for (const id of scheduled.missingListed) {
      report.lost++;
      report.violations.push(`schedule ${CHAOS_SCHEDULE}: lists ${id}, which is not in the tree`);
    }
    report.scheduled = scheduled.ids.length;
    // CHAOS_DUMP=<file>: everything the checker read, to study a violation afterwards.
    if (process.env.CHAOS_DUMP)
      writeFileSync(
        process.env.CHAOS_DUMP,
        JSON.stringify({ zombies, views: [...views.values()], executions, events }, null, 1),
      );
    return {
      target: options.target,
      seed: options.seed,
      ...report,
      faultsInjected: injected,
      faultsByKind: byKind,
      faultsUnderLoad: underLoad,
      submitRetries,
      eventsSeen: events.length,
      executions: executions.length,
      durationMs: Date.now() - started,
    };
  } finally {
    for (const r of roles) r.proc.signal('SIGCONT');
    await Promise.all(roles.map((r) => r.proc.stop(5000)));
    client?.close();
    await connection?.close().catch(() => undefined);
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
