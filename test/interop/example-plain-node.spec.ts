import { join } from 'path';
import { Background, REPO_ROOT, describeRun, run } from '../packages/support/commands';
import { ZkCluster, startStandalone } from '../support/zk-harness';

// The plain-Node example (examples/plain-node) against Apache ZooKeeper 3.8 instead of the
// embedded coordinator: the same files, only ZK_CONNECT differs. The example loads the
// packages by name; here they resolve to this repo's builds (the workspaces link them), which
// `tsc -b` brings up to date first. `npm run test:packages` runs it from the packed tarballs.

const EXAMPLE = join(REPO_ROOT, 'examples', 'plain-node');

let cluster: ZkCluster | undefined;
const processes: Background[] = [];

beforeAll(async () => {
  const build = await run(
    'node',
    [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
    {
      cwd: REPO_ROOT,
    },
  );
  if (build.code !== 0) throw new Error(describeRun('tsc -b tsconfig.build.json', build));
  cluster = await startStandalone();
}, 300_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await cluster?.stop();
});

function start(script: string): Background {
  const p = new Background(script, 'node', [script], {
    cwd: EXAMPLE,
    env: { ZK_CONNECT: cluster!.connectString },
  });
  processes.push(p);
  return p;
}

it('runs the plain-Node example on Apache ZooKeeper: its handlers run, its script reads the results', async () => {
  await start('master.js').waitFor(/master \S+ started/);
  await start('worker.js').waitFor(/worker \S+ started: flaky, wordcount/);
  const submit = await run('node', ['submit.js'], {
    cwd: EXAMPLE,
    env: { ZK_CONNECT: cluster!.connectString },
  });
  expect(submit.code === 0 ? '' : describeRun('node submit.js', submit)).toBe('');
  expect(submit.stdout).toMatch(/^wordcount task-\S+: done \{"words":9,"distinct":8\}$/m);
  expect(submit.stdout).toMatch(/^flaky task-\S+: done \{"attempt":2\}$/m);
}, 180_000);
