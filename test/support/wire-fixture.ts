import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * A recorded ZooKeeper conversation, committed under test/fixtures/zk-3.8/ by
 * `npm run fixtures:record` and replayed by test/protocol/golden-fixtures.spec.ts.
 * Each connection starts with a ConnectRequest/ConnectResponse handshake.
 */
export interface WireFixture {
  description: string;
  server: string;
  client: 'zkCli.sh' | 'shepherd';
  connections: Array<{
    chunks: Array<{ dir: 'c2s' | 's2c'; t: number; hex: string }>;
  }>;
}

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'zk-3.8');

export function loadWireFixtures(dir = FIXTURE_DIR): Array<{ file: string; fixture: WireFixture }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      fixture: JSON.parse(readFileSync(join(dir, file), 'utf8')) as WireFixture,
    }));
}
