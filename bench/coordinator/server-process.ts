/**
 * The coordinator under benchmark, in a process of its own (as Apache ZooKeeper runs in its own
 * JVM), so the client process measures both servers the same way and the coordinator's CPU and
 * RSS are its own. Spawned by coordinator-process.ts:
 *
 *   node server-process.js <dataDir>      (transpiled by compile-child.ts)
 *
 * Persistence is on (dataDir: snapshots and a txn log that fdatasyncs every group commit, like
 * ZooKeeper's forceSync=yes). With BENCH_TLS in the environment (JSON {key, cert, ca}, PEM) it
 * serves a secureClientPort only, ssl.clientAuth=need, as ZooKeeper's TLS bench side does.
 * Prints one JSON line, {"port","startMs","txnsReplayed"}, once it
 * serves, and {"memory": process.memoryUsage()} on SIGUSR2. Exits when its stdin closes (the parent died) and on SIGTERM (after a clean stop, so
 * a --cpu-prof profile gets written).
 */
import { ZkServer } from '@shepherd/zk-server';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: server-process.ts <dataDir>');
  const t0 = performance.now();
  const tls = process.env.BENCH_TLS
    ? (JSON.parse(process.env.BENCH_TLS) as { key: string; cert: string; ca: string })
    : undefined;
  const server = new ZkServer({
    dataDir,
    port: tls ? null : 0,
    secure: tls,
    // The benchmark opens up to 16 sessions per round from 127.0.0.1, the memory load more.
    maxClientCnxns: 0,
    onError: (err, where) =>
      process.stderr.write(`coordinator error in ${where}: ${String(err)}\n`),
  });
  const address = await server.start();
  const startMs = performance.now() - t0;
  const txnsReplayed = server.recovery?.txnsReplayed ?? 0;
  process.stdout.write(`${JSON.stringify({ port: address.port, startMs, txnsReplayed })}\n`);

  const stop = (): void => {
    void server.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  // The benchmark asks for the heap figures behind the RSS it reads from /proc.
  process.on('SIGUSR2', () => {
    process.stdout.write(`${JSON.stringify({ memory: process.memoryUsage() })}\n`);
  });
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write(
    `server-process failed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
