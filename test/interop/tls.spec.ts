import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ClientOptions, ZooKeeperClient } from '@shepherd/zk-client';
import { CREATOR_ALL_ACL, CreateMode, KeeperState, Perms } from '@shepherd/zk-protocol';
import { createThrowawayCa } from '@shepherd/zk-server';
import { AsyncQueue } from '../contract/async-queue';
import { describeClientContract } from '../contract/client-contract';
import { CoordinatorProcess, testZooCfg } from '../coordinator/coordinator-process';
import { HelloOutcome, probeHello } from '../support/tls-probe';
import { ZkCluster, startEnsemble, startStandalone } from '../support/zk-harness';
import { secureZooCfgLines } from '../support/zk-server-config';
import { runKazoo } from '../tools/kazoo-runner';
import { runZkCli, zkCliTlsFlags } from '../tools/zkcli-runner';
import { harnessTarget } from './harness-target';

// TLS between clients and servers: Apache ZooKeeper 3.8 with a secureClientPort (Netty, PEM
// stores, ssl.clientAuth=need) and the coordinator app configured from the same zoo.cfg keys
// and the same stores. Both must serve our client, zkCli.sh and kazoo, and turn away the same
// connections.
jest.setTimeout(120_000);

let zk: ZkCluster | undefined;
let coordinator: CoordinatorProcess | undefined;
let coordinatorPort = 0;
let dir: string;
let clientPem: string;

function cluster(): ZkCluster {
  if (!zk?.tls) throw new Error('ZooKeeper is not running: see the beforeAll failure above');
  return zk;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'shepherd-tls-'));
  zk = await startStandalone({ tls: true });
  const tls = cluster().tls!;
  clientPem = path.join(dir, 'client.pem');
  writeFileSync(clientPem, `${tls.key as string}${tls.cert as string}`);
  writeFileSync(path.join(dir, 'client-key.pem'), tls.key as string);
  writeFileSync(path.join(dir, 'client-cert.pem'), tls.cert as string);
  const cfg = path.join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    // The stores of the harness's members, reused by the coordinator: same CA, same server.
    testZooCfg(path.join(dir, 'data'), secureZooCfgLines({ port: 0, ...tls })),
  );
  coordinator = new CoordinatorProcess(['--config', cfg]);
  coordinatorPort = await coordinator.securePort();
}, 180_000);

afterAll(async () => {
  await coordinator?.ensureDead();
  await zk?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describeClientContract('Apache ZooKeeper standalone over TLS', () =>
  harnessTarget(zk, { tls: true }),
);

/** Both servers' secure ports, Apache ZooKeeper first. */
function securePorts(): Array<[string, number]> {
  return [
    ['Apache ZooKeeper', cluster().servers[0].secureClientPort!],
    ['coordinator', coordinatorPort],
  ];
}

describe('TLS on both servers', () => {
  const clients: ZooKeeperClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  async function client(port: number, options: ClientOptions = {}): Promise<ZooKeeperClient> {
    const zkc = new ZooKeeperClient(`127.0.0.1:${port}`, {
      sessionTimeout: 10000,
      tls: cluster().tls,
      ...options,
    });
    clients.push(zkc);
    await zkc.connect();
    return zkc;
  }

  it('turn away the same connections: no certificate, an untrusted one, plain TCP', async () => {
    const { ca, cert, key } = cluster().tls!;
    const stranger = createThrowawayCa({ commonName: 'a stranger' });
    const strangerCert = stranger.issue({ commonName: 'intruder' });
    const outcomes: Record<string, Record<string, HelloOutcome>> = {};
    for (const [name, port] of securePorts()) {
      outcomes[name] = {
        trusted: await probeHello(port, { ca, cert, key }),
        'no certificate': await probeHello(port, { ca }),
        untrusted: await probeHello(port, { ca, cert: strangerCert.cert, key: strangerCert.key }),
        'plain TCP': await probeHello(port),
      };
      // And the server still serves everyone else.
      const after = await client(port);
      expect(await after.exists('/')).not.toBeNull();
    }
    expect(outcomes.coordinator).toEqual(outcomes['Apache ZooKeeper']);
    expect(outcomes.coordinator).toEqual({
      trusted: 'answered',
      'no certificate': 'closed',
      untrusted: 'closed',
      'plain TCP': 'closed',
    });
  });

  it('judge x509 ACLs alike: the certificate subject is the identity', async () => {
    const { x509Id } = cluster().tls!;
    const results: Record<string, string[]> = {};
    for (const [name, port] of securePorts()) {
      const zkc = await client(port);
      const root = await zkc.create(`/x509-${Date.now().toString(36)}`);
      const lines: string[] = [];
      const attempt = async (label: string, fn: () => Promise<unknown>) => {
        try {
          const value = await fn();
          lines.push(`${label} -> ok ${JSON.stringify(value)}`);
        } catch (err) {
          lines.push(`${label} -> ${(err as Error).name}`);
        }
      };
      const x509 = (id: string, perms = Perms.ALL) => [{ perms, id: { scheme: 'x509', id } }];
      await attempt('whoAmI', async () => (await zkc.whoAmI()).map((i) => i.authScheme));
      await attempt('create x509:<own subject>', () =>
        zkc.create(`${root}/mine`, 'm', { acl: x509(x509Id) }),
      );
      await attempt('read it', async () => (await zkc.getData(`${root}/mine`)).data?.toString());
      await attempt('create x509:<another subject>', () =>
        zkc.create(`${root}/theirs`, 't', { acl: x509('CN=someone else,O=elsewhere') }),
      );
      await attempt('read it', () => zkc.getData(`${root}/theirs`));
      await attempt('create x509 with a non-DN id', () =>
        zkc.create(`${root}/bad`, '', { acl: x509('not a distinguished name') }),
      );
      await attempt('create CREATOR_ALL_ACL', () =>
        zkc.create(`${root}/creator`, '', { acl: CREATOR_ALL_ACL }),
      );
      await attempt('its ACL', async () => (await zkc.getACL(`${root}/creator`)).acl);
      results[name] = lines.map((l) => l.replace(root, '<root>'));
    }
    expect(results.coordinator).toEqual(results['Apache ZooKeeper']);
  });

  it('serve zkCli.sh over TLS with the client properties of the ZooKeeper TLS guide', async () => {
    const flags = zkCliTlsFlags(clientPem, cluster().tls!.trustStore);
    for (const [, port] of securePorts()) {
      const node = `/zkcli-tls-${Date.now().toString(36)}`;
      const out = await runZkCli(
        `127.0.0.1:${port}`,
        [`create ${node} over-tls`, `get ${node}`, 'whoami', `delete ${node}`],
        60000,
        flags,
      );
      expect(out).toContain(`Created ${node}`);
      expect(out).toContain('over-tls');
      // whoami prints "Auth scheme: User" and then one "scheme: user" line per id.
      expect(out).toContain(`x509: ${cluster().tls!.x509Id}`);
    }
  });

  it('serve kazoo over TLS', async () => {
    const script = path.join(__dirname, 'kazoo', 'tls.py');
    const args = [
      cluster().tls!.trustStore,
      path.join(dir, 'client-cert.pem'),
      path.join(dir, 'client-key.pem'),
    ];
    const outputs: string[] = [];
    for (const [, port] of securePorts()) {
      outputs.push(await runKazoo(script, [`127.0.0.1:${port}`, ...args]));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[1]).toContain(`acl -> x509:${cluster().tls!.x509Id} 31`);
  });
});

describe('Apache ZooKeeper ensemble over TLS', () => {
  let ensemble: ZkCluster | undefined;
  const clients: ZooKeeperClient[] = [];

  beforeAll(async () => {
    ensemble = await startEnsemble(3, { tls: true });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await ensemble?.stop();
  });

  it('keeps the session and its ephemerals when the member it is on is killed', async () => {
    if (!ensemble?.tls) throw new Error('the ensemble did not start: see beforeAll');
    const c = ensemble;
    const modes = await c.modes();
    const start = modes.findIndex((m) => m === 'follower');
    const order = [start, ...[0, 1, 2].filter((i) => i !== start)];
    const zkc = new ZooKeeperClient(order.map((i) => c.secureConnectStringFor(i)).join(','), {
      sessionTimeout: 10000,
      shuffleHosts: false,
      tls: c.tls,
    });
    clients.push(zkc);
    await zkc.connect();
    const states = new AsyncQueue<KeeperState>();
    const sub = zkc.state$.subscribe(states.push);
    try {
      const sessionId = zkc.sessionId;
      const root = await zkc.create(`/tls-failover-${Date.now().toString(36)}`);
      await zkc.create(`${root}/eph`, 'mine', { mode: CreateMode.EPHEMERAL });
      await c.kill(start);
      await states.nextMatching('Disconnected', (s) => s === KeeperState.Disconnected, 20000);
      await states.nextMatching('SyncConnected', (s) => s === KeeperState.SyncConnected, 30000);
      expect(states.received).not.toContain(KeeperState.Expired);
      expect(zkc.sessionId).toBe(sessionId);
      expect((await zkc.exists(`${root}/eph`))?.ephemeralOwner).toBe(sessionId);
      expect(await zkc.whoAmI()).toContainEqual({ authScheme: 'x509', user: c.tls!.x509Id });
    } finally {
      sub.unsubscribe();
    }
  });
});
