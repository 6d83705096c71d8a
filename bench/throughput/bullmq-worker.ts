/**
 * A BullMQ worker process for the throughput benchmark: a no-op processor on queue QUEUE of the
 * Redis at 127.0.0.1:REDIS_PORT, with CONCURRENCY jobs at once, the same as a Shepherd worker
 * process on the other side. Prints "ready" once connected; SIGTERM closes it.
 */
import { Worker } from 'bullmq';

async function main(): Promise<void> {
  const env = process.env;
  const worker = new Worker(env.QUEUE!, async () => null, {
    connection: { host: '127.0.0.1', port: Number(env.REDIS_PORT) },
    concurrency: Number(env.CONCURRENCY ?? 64),
  });
  worker.on('error', (err) => process.stderr.write(`bullmq worker: ${String(err)}\n`));
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void worker.close().finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
