import { createServer } from 'net';

// Another helper on this machine runs a fixed-port server there; never hand it out.
const RESERVED_PORTS = new Set([12181]);

function listenOnEphemeralPort(): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('listen(0) returned no TCP address'));
        return;
      }
      resolve({
        port: address.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * Picks `count` distinct free loopback ports chosen by the kernel.
 *
 * All listeners are held open until every port is picked, so the kernel cannot hand out the same
 * port twice; they are then released for the JVM to bind. A port can still be stolen between
 * release and bind — the harness surfaces that as a server that exits early, with its log.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: Array<{ port: number; close: () => Promise<void> }> = [];
  const picked: number[] = [];
  try {
    while (picked.length < count) {
      const candidate = await listenOnEphemeralPort();
      // Reserved ports stay held (so the kernel moves on) but are never returned.
      held.push(candidate);
      if (!RESERVED_PORTS.has(candidate.port)) picked.push(candidate.port);
    }
    return picked;
  } finally {
    await Promise.all(held.map((h) => h.close()));
  }
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}
