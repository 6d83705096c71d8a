// A ZkServer alone in a process, for the fuzz tool: a crash shows as this process's exit.
// Parent protocol (IPC): it sends {type:'ready', port} once listening; answers 'stats' with
// {type:'stats', rss, unexpectedErrors, frameErrors, connections}; 'stop' stops and exits 0.
// With FUZZ_TLS (JSON {key, cert, ca}, PEM) it serves a secureClientPort only, and reports that.
import { FrameLengthError } from '@shepherd/zk-protocol';
import { ZkServer } from '@shepherd/zk-server';

export interface ServerStats {
  type: 'stats';
  rss: number;
  heapUsed: number;
  unexpectedErrors: number;
  frameErrors: number;
  connections: number;
  samples: string[];
}

async function main(): Promise<void> {
  const stats: ServerStats = {
    type: 'stats',
    rss: 0,
    heapUsed: 0,
    unexpectedErrors: 0,
    frameErrors: 0,
    connections: 0,
    samples: [],
  };
  const tls = process.env.FUZZ_TLS
    ? (JSON.parse(process.env.FUZZ_TLS) as { key: string; cert: string; ca: string })
    : undefined;
  const server = new ZkServer({
    port: tls ? null : 0,
    secure: tls,
    // Many fuzz connections come from one address.
    maxClientCnxns: 0,
    onError: (err, where) => {
      // A lying length prefix is reported on its way to closing the connection: expected.
      if (err instanceof FrameLengthError) {
        stats.frameErrors++;
        return;
      }
      stats.unexpectedErrors++;
      if (stats.samples.length < 10)
        stats.samples.push(`${where}: ${(err as Error)?.stack ?? String(err)}`);
    },
  });
  const address = await server.start();
  process.on('message', (msg: unknown) => {
    if (msg === 'stats') {
      const mem = process.memoryUsage();
      process.send?.({
        ...stats,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        connections: server.connectionCount,
      });
    } else if (msg === 'stop') {
      void server.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', port: address.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`server-process failed: ${String(err)}\n`);
  process.exit(2);
});
