/**
 * `npm run fixtures:record [name...]`: re-records the golden wire fixtures under
 * test/fixtures/zk-3.8/ from a real ZooKeeper 3.8 (Debian's package) via a recording proxy.
 * With names, only those fixtures are re-recorded. Needs Java + the zookeeper package.
 */
import { startStandalone, ZkCluster } from '../support/zk-harness';
import { toWireFixture, writeWireFixture } from './fixture-writer';
import { RecordingProxy } from './recording-proxy';
import { FIXTURE_SCENARIOS } from './scenarios';

async function recordOne(
  cluster: ZkCluster,
  scenario: (typeof FIXTURE_SCENARIOS)[number],
): Promise<void> {
  const proxy = await RecordingProxy.start({
    host: '127.0.0.1',
    port: cluster.servers[0].clientPort,
  });
  try {
    await scenario.run(proxy, cluster);
  } finally {
    await proxy.close();
  }
  const fixture = toWireFixture(
    { description: scenario.description, server: '3.8.0', client: scenario.client },
    proxy.connections,
  );
  const file = writeWireFixture(scenario.name, fixture);
  const bytes = proxy.connections.flatMap((c) => c.chunks).reduce((n, ch) => n + ch.data.length, 0);
  console.log(
    `${scenario.name}: ${proxy.connections.length} connection(s), ${bytes} bytes -> ${file}`,
  );
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !FIXTURE_SCENARIOS.some((s) => s.name === w));
  if (unknown.length > 0) throw new Error(`unknown fixture(s): ${unknown.join(', ')}`);
  const scenarios = FIXTURE_SCENARIOS.filter((s) => wanted.length === 0 || wanted.includes(s.name));

  const cluster = await startStandalone();
  try {
    for (const scenario of scenarios) await recordOne(cluster, scenario);
  } finally {
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
