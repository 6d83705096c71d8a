import { ZooKeeperClient } from '@shepherd/zk-client';
import { FrameLengthError } from '@shepherd/zk-protocol';
import { ZkServer, createThrowawayCa } from '@shepherd/zk-server';
import { runFuzz } from '../support/fuzz/fuzz-run';
import { waitFor } from '../support/wait-for';
import { randomSeed } from '../support/fuzz/prng';
import { WellBehavedClient } from '../support/fuzz/well-behaved-client';

// Hostile input against the embedded server, in-process and bounded (the long run is
// `npm run fuzz:coordinator`). The seed is printed so a failure can be replayed with
// FUZZ_SEED=<seed>.
const FRAMES = 20_000;
const CONNECTIONS = 32;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : randomSeed();

const ca = createThrowawayCa();
const serverCert = ca.issue({ commonName: 'localhost', hosts: ['127.0.0.1'] });
const clientCert = ca.issue({ commonName: 'fuzzer' });
const clientTls = { ca: ca.cert, cert: clientCert.cert, key: clientCert.key };

/** The same hostile mix on the plain client port, and inside TLS on the secure one. */
describe.each([
  ['the client port', false],
  ['the TLS port', true],
])(`embedded zk-server under fuzzed frames on %s (seed ${seed})`, (_name, secure) => {
  const unexpected: string[] = [];
  let server: ZkServer;

  beforeAll(async () => {
    server = new ZkServer({
      port: secure ? null : 0,
      secure: secure ? { key: serverCert.key, cert: serverCert.cert, ca: ca.cert } : undefined,
      maxClientCnxns: 0,
      onError: (err, where) => {
        // A lying length prefix is reported as it closes its connection; anything else is a bug.
        if (!(err instanceof FrameLengthError)) unexpected.push(`${where}: ${String(err)}`);
      },
    });
    await server.start();
  });

  afterAll(() => server.stop());

  it('stays up, answers or closes every connection, and serves a correct client throughout', async () => {
    process.stderr.write(`fuzz.spec seed ${seed}\n`);
    const tls = secure ? clientTls : undefined;
    const address = secure ? server.secureAddress! : server.address!;
    const connectString = secure ? server.secureConnectString : server.connectString;
    const client = new WellBehavedClient(connectString, tls);
    await client.start();
    const report = await runFuzz({
      host: address.host,
      port: address.port,
      seed,
      frames: FRAMES,
      connections: CONNECTIONS,
      settleMs: 20_000,
      tls,
    });
    const wb = await client.stop();

    expect(report.framesSent).toBe(FRAMES);
    expect(report.invalid).toEqual([]);
    expect(report.hung).toBe(0);
    expect(report.refused).toBe(0);
    // The mix reaches the server: some connections are answered, some dropped.
    expect(report.replies).toBeGreaterThan(0);
    expect(report.closedByServer).toBeGreaterThan(0);
    expect(wb.errors).toEqual([]);
    expect(wb.rounds).toBeGreaterThan(0);
    expect(unexpected).toEqual([]);

    // Still serving: a fresh client works, and every fuzz connection is gone.
    const fresh = new ZooKeeperClient(connectString, { sessionTimeout: 10_000, tls });
    try {
      await fresh.connect();
      expect(await fresh.exists('/')).not.toBeNull();
    } finally {
      await fresh.close();
    }
    await waitFor('every fuzz connection to be closed', () => server.connectionCount === 0, {
      timeoutMs: 10_000,
    });
  }, 120_000);
});
