import { runZkCli } from '../zkcli-runner';
import { RecordingProxy } from '../recording-proxy';
import { waitFor } from '../../support/wait-for';

/**
 * A representative zkCli.sh session: the reference Java client's bytes for most opcodes,
 * including watches firing mid-session, an auth packet, error replies and closeSession.
 * (zkCli has no multi command; the shepherd scenarios cover multi/multiRead.)
 */
export const ZKCLI_COMMANDS = [
  'create /zkcli root-data',
  'create -e /zkcli/ephemeral eph',
  'create -s /zkcli/seq- s1',
  'create -s -e /zkcli/eseq- s2',
  'create -c /zkcli-container',
  'create -t 60000 /zkcli-ttl t',
  'ls -s /zkcli',
  'get -w /zkcli',
  'set /zkcli new-data',
  'stat -w /zkcli/missing',
  'create /zkcli/missing m',
  'ls -w /zkcli',
  'create /zkcli/child c',
  'set -v 0 /zkcli stale',
  'get /zkcli/nonexistent',
  'getAcl /zkcli',
  'addauth digest alice:secret',
  'create /zkcli/secure s',
  'setAcl /zkcli/secure auth::cdrwa',
  'getAcl /zkcli/secure',
  'whoami',
  'getEphemerals /zkcli',
  'getAllChildrenNumber /zkcli',
  'sync /zkcli',
  'addWatch /zkcli/child',
  'addWatch -m PERSISTENT_RECURSIVE /zkcli',
  'set /zkcli/child c2',
  'removewatches /zkcli -a',
  'delete /zkcli/missing',
  'deleteall /zkcli',
  'delete /zkcli-ttl',
];

export async function recordZkCliSession(proxy: RecordingProxy): Promise<string> {
  const out = await runZkCli(proxy.connectString, ZKCLI_COMMANDS);
  // zkCli reports most failures on stdout and still exits 0: check the session really ran.
  for (const expected of ['Created /zkcli/seq-0000000', 'WatchedEvent', 'Sync is OK']) {
    if (!out.includes(expected)) throw new Error(`zkCli output lacks "${expected}":\n${out}`);
  }
  await waitFor('zkCli connection to close', () => proxy.connections.every((c) => c.closed));
  return out;
}
