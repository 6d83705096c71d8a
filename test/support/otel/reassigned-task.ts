import { join } from 'path';
import { AppProcess, childPids, isAlive, waitForBanner } from '../../apps/support/app-process';
import { freePorts } from '../free-port';
import { waitFor } from '../wait-for';
import { OtlpReceiver, ReceivedSpan } from './otlp-receiver';

/** The trace id and parent span id the story's REST request carries. */
export const STORY_TRACE_ID = '5b8aa5a2d2c872e8321cf37308d69df2';
export const STORY_PARENT_SPAN_ID = '051581bf3cb55c13';

export interface ReassignedTaskStory {
  /** The launcher's banner and log lines. */
  launcherOutput: string;
  /** The OTLP endpoint the apps exported to. */
  endpoint: string;
  taskId: string;
  /** The worker killed while it ran the task, and the one that finished it. */
  killed: string;
  finishedBy: string;
  attempts: number;
  state: string;
  /** Every span of the task's trace the receiver got. */
  spans: ReceivedSpan[];
}

/**
 * `shepherd up --otel` (1 master, 2 workers) exporting to `receiver`; a `sleep` task submitted
 * over REST with a traceparent; its worker killed with SIGKILL while it runs; the task
 * finished by the other worker. Resolves once the trace has been exported (its second attempt
 * and both assignments), then stops the cluster. What the end-to-end test checks and what the
 * README's trace picture shows.
 */
export async function runReassignedTask(
  receiver: OtlpReceiver,
  dataDir: string,
): Promise<ReassignedTaskStory> {
  const endpoint = await receiver.start();
  const [zkPort, port] = await freePorts(2);
  const launcher = new AppProcess('up', {
    ZK_PORT: String(zkPort),
    PORT: String(port),
    MASTERS: '1',
    WORKERS: '2',
    DATA_DIR: join(dataDir, 'data'),
    LOG_LEVEL: 'info',
    ZK_SESSION_TIMEOUT_MS: '4000',
    SHEPHERD_OTEL: 'true',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    // Export within seconds, not the SDK's defaults (5 s for spans, 60 s for metrics).
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    API_TOKEN: undefined,
    ZK_AUTH: undefined,
  });
  let children: number[] = [];
  try {
    await waitForBanner(launcher);
    children = childPids(launcher.pid);

    const base = `http://localhost:${port}`;
    const getJson = async <T>(path: string): Promise<T> =>
      (await (await fetch(`${base}${path}`)).json()) as T;
    const submitted = await fetch(`${base}/tasks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${STORY_TRACE_ID}-${STORY_PARENT_SPAN_ID}-01`,
      },
      body: JSON.stringify({ type: 'sleep', payload: { ms: 2000 }, maxAttempts: 3 }),
    });
    if (submitted.status !== 202) throw new Error(`POST /tasks answered ${submitted.status}`);
    const { id } = (await submitted.json()) as { id: string };
    const running = await waitFor('the task running', async () => {
      const task = await getJson<{ state: string; worker?: string }>(`/tasks/${id}`);
      return task.state === 'running' ? task : undefined;
    });
    // Let it run a little, so the picture shows the lost attempt.
    await new Promise((r) => setTimeout(r, 500));
    const workers = await getJson<{ id: string; pid?: number }[]>('/workers');
    const victim = workers.find((w) => w.id === running.worker);
    if (victim?.pid === undefined) throw new Error(`no pid for ${running.worker}`);
    process.kill(victim.pid, 'SIGKILL');

    const done = await getJson<{ state: string; worker: string; attempts: number }>(
      `/tasks/${id}?wait=60`,
    );
    const count = (name: string) =>
      receiver.traceOf(STORY_TRACE_ID).filter((s) => s.name === name).length;
    await waitFor(
      'the trace exported',
      () => count('process sleep') >= 1 && count('assign sleep') >= 2,
      {
        timeoutMs: 30_000,
      },
    ).catch((err: Error) => {
      const names = receiver.traceOf(STORY_TRACE_ID).map((s) => s.name);
      throw new Error(`${err.message}: ${JSON.stringify(names)}`);
    });
    return {
      launcherOutput: launcher.stdout,
      endpoint,
      taskId: id,
      killed: victim.id,
      finishedBy: done.worker,
      attempts: done.attempts,
      state: done.state,
      spans: receiver.traceOf(STORY_TRACE_ID),
    };
  } finally {
    await launcher.stop(30_000);
    // The apps run in their own process groups: a launcher that did not stop them leaves them.
    for (const pid of children) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}
