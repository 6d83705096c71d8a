/**
 * One Shepherd role in its own process, for the fault tests: `kill -9` and SIGSTOP need a real
 * process. Configured by environment:
 *   ROLE=master|worker  ZK=<connect string>  ID=<id>  CONCURRENCY=<n>  SESSION_TIMEOUT_MS=<ms>
 *   EXEC_LOG=<file>     workers append one line per handler event: "<event> <task> <worker> <attempt>"
 *   OTEL_EXPORTER_OTLP_ENDPOINT=<url>  registers the OpenTelemetry SDK as the apps do (startTelemetry:
 *                       spans and metrics over OTLP/HTTP), flushed on SIGTERM
 * Prints "ready" on stdout once started; SIGTERM stops gracefully.
 */
import { appendFileSync } from 'fs';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { Master, TaskContext, Worker } from '@shepherd/taskqueue';
import { createLogger } from '../../../apps/app-kit/src/logger';
// The module itself, not the app kit's index: that one loads Nest, which no role here needs.
import { startTelemetry } from '../../../apps/app-kit/src/telemetry';
import { TEST_HANDLERS } from '../test-handlers';

const env = process.env;
const id = env.ID ?? `${env.ROLE}-${process.pid}`;

function log(event: string, task: TaskContext): void {
  if (env.EXEC_LOG) appendFileSync(env.EXEC_LOG, `${event} ${task.id} ${id} ${task.attempt}\n`);
}

/** The test handlers and two more, each logging start and end, so tests can count executions. */
function handlers() {
  const wrap =
    (fn: (t: TaskContext) => Promise<unknown> | unknown) =>
    async (t: TaskContext): Promise<unknown> => {
      log('start', t);
      // Only when logging: a listener per task is work the benchmarks' workers should not do.
      if (env.EXEC_LOG) t.signal.addEventListener('abort', () => log('abort', t));
      const result = await fn(t);
      log('end', t);
      return result;
    };
  return {
    noop: wrap(() => null),
    echo: wrap(TEST_HANDLERS.echo),
    sleep: wrap(TEST_HANDLERS.sleep),
    /** Ignores its AbortSignal on purpose: a zombie that finishes anyway. */
    stubborn: wrap(async (t) => {
      await new Promise((r) => setTimeout(r, (t.payload as { ms: number }).ms));
      return { stubborn: true };
    }),
    fail: wrap(TEST_HANDLERS.fail),
    /** A flow task: returns the results its dependencies gave it. */
    join: wrap((t) => ({ ...t.dependencies })),
  };
}

async function main(): Promise<void> {
  // Before the master or worker is made: its task metrics take the meter registered then.
  const telemetry = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? startTelemetry(env.ROLE ?? 'role', createLogger(id))
    : undefined;
  const connection = new ZooKeeperConnection({
    connectString: env.ZK ?? '127.0.0.1:2181',
    sessionTimeoutMs: Number(env.SESSION_TIMEOUT_MS ?? 4000),
  });
  await connection.connect();
  let stop: () => Promise<void>;
  if (env.ROLE === 'master') {
    const master = new Master({ id, connection });
    await master.start();
    stop = () => master.stop();
  } else {
    const worker = new Worker({
      id,
      connection,
      concurrency: Number(env.CONCURRENCY ?? 4),
      handlers: handlers(),
      shutdownGraceMs: 2000,
    });
    await worker.start();
    stop = () => worker.stop();
  }
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void stop()
      .then(() => connection.close())
      .finally(() => telemetry?.shutdown())
      .finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
