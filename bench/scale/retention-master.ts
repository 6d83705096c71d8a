/**
 * A master with retention settings for the retention part (the test role process has none).
 * Configured by environment:
 *   ZK=<connect string>  ID=<id>  SESSION_TIMEOUT_MS=<ms>
 *   RETENTION_MAX_COUNT=<n>  RETENTION_INTERVAL_MS=<ms>
 * Prints "ready" once started, then one JSON line per retention log entry, warning or error
 * ({"t": ms since the epoch, "msg": ..., ...fields}), which the benchmark reads for the passes.
 * SIGTERM stops gracefully.
 */
import { ZooKeeperConnection } from '@shepherd/coordination';
import { Master, MasterLogger } from '@shepherd/taskqueue';

const env = process.env;

function line(msg: string | undefined, obj: object): void {
  process.stdout.write(`${JSON.stringify({ t: Date.now(), msg, ...obj })}\n`);
}

/** Retention's own lines and anything that went wrong; the rest would only fill the pipe. */
const logger: MasterLogger = {
  info: (obj, msg) => {
    if (msg?.startsWith('retention')) line(msg, obj);
  },
  warn: (obj, msg) => line(msg, { level: 'warn', ...obj }),
  error: (obj, msg) => line(msg, { level: 'error', ...obj }),
  debug: () => undefined,
};

async function main(): Promise<void> {
  const connection = new ZooKeeperConnection({
    connectString: env.ZK ?? '127.0.0.1:2181',
    sessionTimeoutMs: Number(env.SESSION_TIMEOUT_MS ?? 4000),
  });
  await connection.connect();
  const master = new Master({
    id: env.ID ?? `master-${process.pid}`,
    connection,
    logger,
    retention: {
      maxCount: Number(env.RETENTION_MAX_COUNT ?? 1_000_000),
      intervalMs: Number(env.RETENTION_INTERVAL_MS ?? 10_000),
    },
  });
  await master.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void master
      .stop()
      .then(() => connection.close())
      .finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
