/**
 * One process hosting many workers for the sessions part: 500 Node processes would not fit on
 * the machine, so each process runs WORKERS workers, each with its own ZooKeeperConnection (its
 * own session, its own /workers node). Configured by environment:
 *   ZK=<connect string>  HOST=<name>  WORKERS=<n>  CONCURRENCY=<n>  SESSION_TIMEOUT_MS=<ms>
 *   EXEC_LOG=<file>  one line per handler start: "start <task> <worker> <attempt>"
 * Prints "ready <ms>" once every worker has registered (ms since this module loaded); SIGTERM
 * stops them all gracefully.
 */
import { appendFileSync } from 'node:fs';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { TaskContext, Worker } from '@shepherd/taskqueue';
import { TEST_HANDLERS } from '../../test/support/test-handlers';

const loadedAt = Date.now();
const env = process.env;
const host = env.HOST ?? `host-${process.pid}`;

/** The no-op and sleep handlers of one worker, each logging its start. */
function handlers(workerId: string) {
  const logged =
    (fn: (t: TaskContext) => unknown) =>
    async (t: TaskContext): Promise<unknown> => {
      // Synchronous, so a kill -9 right after a start cannot lose the line.
      if (env.EXEC_LOG) appendFileSync(env.EXEC_LOG, `start ${t.id} ${workerId} ${t.attempt}\n`);
      return fn(t);
    };
  return { noop: logged(() => null), sleep: logged(TEST_HANDLERS.sleep) };
}

async function startWorker(index: number): Promise<Worker> {
  const connection = new ZooKeeperConnection({
    connectString: env.ZK ?? '127.0.0.1:2181',
    sessionTimeoutMs: Number(env.SESSION_TIMEOUT_MS ?? 4000),
  });
  await connection.connect();
  const id = `${host}-w${String(index).padStart(3, '0')}`;
  const worker = new Worker({
    id,
    connection,
    concurrency: Number(env.CONCURRENCY ?? 4),
    handlers: handlers(id),
    shutdownGraceMs: 2000,
  });
  await worker.start();
  return worker;
}

async function main(): Promise<void> {
  const count = Number(env.WORKERS ?? 50);
  const workers = await Promise.all(Array.from({ length: count }, (_, i) => startWorker(i)));
  process.stdout.write(`ready ${Date.now() - loadedAt}\n`);
  process.once('SIGTERM', () => {
    void Promise.all(workers.map((w) => w.stop())).finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
