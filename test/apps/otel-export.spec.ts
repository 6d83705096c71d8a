import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { OtlpReceiver, ReceivedSpan, attributesOf } from '../support/otel/otlp-receiver';
import { freePorts } from '../support/free-port';
import { waitFor } from '../support/wait-for';
import { AppProcess, isAlive } from './support/app-process';

// `shepherd up --otel` as a user runs it, exporting to an OTLP/HTTP receiver: a task submitted
// over REST with a traceparent, its worker killed with SIGKILL while it runs, and the whole
// story in one trace across the client app, the master and the workers.
jest.setTimeout(300_000);

const TRACE_ID = '5b8aa5a2d2c872e8321cf37308d69df2';
const TRACEPARENT = `00-${TRACE_ID}-051581bf3cb55c13-01`;

describe('shepherd up --otel', () => {
  const receiver = new OtlpReceiver();
  let launcher: AppProcess | undefined;
  let children: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-otel-'));

  afterAll(async () => {
    await launcher?.stop(30_000);
    for (const pid of children) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports one trace of a task reassigned after its worker was killed, from every process', async () => {
    const endpoint = await receiver.start();
    const [zkPort, port] = await freePorts(2);
    launcher = new AppProcess('up', {
      ZK_PORT: String(zkPort),
      PORT: String(port),
      MASTERS: '1',
      WORKERS: '2',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'info',
      ZK_SESSION_TIMEOUT_MS: '4000',
      SHEPHERD_OTEL: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      // Export within the test's patience, not the SDK's defaults (5 s, 60 s).
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      API_TOKEN: undefined,
      ZK_AUTH: undefined,
    });
    await waitFor('the banner', () => launcher!.stdout.includes('Ctrl-C stops everything.'), {
      timeoutMs: 240_000,
      intervalMs: 200,
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${launcher!.stdout}\n${launcher!.stderr}`);
    });
    expect(launcher.stdout).toContain(
      `  Telemetry      traces and metrics over OTLP to ${endpoint}`,
    );
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(launcher.pid)])
      .toString()
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);

    const base = `http://localhost:${port}`;
    const submitted = await fetch(`${base}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: TRACEPARENT },
      body: JSON.stringify({ type: 'sleep', payload: { ms: 3000 }, maxAttempts: 3 }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const running = await waitFor('the task running', async () => {
      const task = (await (await fetch(`${base}/tasks/${id}`)).json()) as {
        state: string;
        worker?: string;
      };
      return task.state === 'running' ? task : undefined;
    });
    const workers = (await (await fetch(`${base}/workers`)).json()) as {
      id: string;
      pid?: number;
    }[];
    const victim = workers.find((w) => w.id === running.worker);
    expect(victim?.pid).toBeGreaterThan(0);
    process.kill(victim!.pid!, 'SIGKILL');

    const done = (await (await fetch(`${base}/tasks/${id}?wait=60`)).json()) as {
      state: string;
      worker: string;
      attempts: number;
    };
    expect(done).toMatchObject({ state: 'done', attempts: 2 });
    expect(done.worker).not.toBe(running.worker);

    const has = (name: string, n = 1) =>
      receiver.traceOf(TRACE_ID).filter((s) => s.name === name).length >= n;
    await waitFor('the trace exported', () => has('process sleep') && has('assign sleep', 2), {
      timeoutMs: 30_000,
    }).catch((err: Error) => {
      throw new Error(
        `${err.message}: ${JSON.stringify(receiver.traceOf(TRACE_ID).map((s) => s.name))}`,
      );
    });
    const spans = receiver.traceOf(TRACE_ID);
    const one = (name: string): ReceivedSpan => {
      const found = spans.filter((s) => s.name === name);
      expect(found).toHaveLength(1);
      return found[0];
    };
    const send = one('send sleep');
    expect(send.service).toBe('shepherd-client');
    expect(send.parentSpanId).toBe('051581bf3cb55c13');
    const reassign = one('reassign sleep');
    expect(reassign.service).toBe('shepherd-master');
    expect(reassign.parentSpanId).toBe(send.spanId);
    expect(reassign.events?.map((e) => e.name)).toEqual(['worker lost']);
    expect(attributesOf(reassign.attributes)).toMatchObject({
      'shepherd.worker.lost': running.worker,
    });
    const assigns = spans.filter((s) => s.name === 'assign sleep');
    expect(assigns.map((s) => s.service)).toEqual(['shepherd-master', 'shepherd-master']);
    expect(assigns.map((s) => attributesOf(s.attributes)['shepherd.worker.id']).sort()).toEqual(
      [running.worker, done.worker].sort(),
    );
    // The killed worker's attempt never ended, so only the second one is exported; it is
    // linked to the first, as the reassignment is.
    const process2 = one('process sleep');
    expect(process2.service).toBe('shepherd-worker');
    expect(process2.parentSpanId).toBe(send.spanId);
    expect(attributesOf(process2.attributes)).toMatchObject({
      'shepherd.task.attempt': 2,
      'shepherd.worker.id': done.worker,
      'shepherd.task.outcome': 'done',
    });
    expect(process2.links?.map((l) => l.spanId)).toEqual(reassign.links?.map((l) => l.spanId));
    expect(process2.links).toHaveLength(1);

    // The metrics came over OTLP too: the master counted the reassignment.
    await waitFor('the reassignment counted', () =>
      receiver.points.some(
        (p) =>
          p.metric === 'shepherd.task.reassignments' &&
          p.service === 'shepherd-master' &&
          p.value === 1,
      ),
    );
  });
});
