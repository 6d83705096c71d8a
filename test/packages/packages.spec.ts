import { copyFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { freePort } from '../support/free-port';
import { Background, REPO_ROOT, describeRun, npm, run } from './support/commands';
import {
  PackedPackage,
  bin,
  installProject,
  packWorkspaces,
  readLock,
  removeTemporaryFolders,
} from './support/packed';

// `npm run test:packages`: Shepherd as a user gets it. Every workspace is packed as
// `npm pack --workspaces` packs it; the tarballs are installed into projects outside the repo
// (an empty one, and a copy of each example) next to registry packages only; then a TypeScript
// consumer is type-checked against the shipped types, both module systems load the packages,
// and both examples run end to end against a coordinator started with `shepherd coordinator`.

const PACKAGES = [
  '@shepherd/zk-protocol',
  '@shepherd/zk-client',
  '@shepherd/zk-server',
  '@shepherd/coordination',
  '@shepherd/taskqueue',
  '@shepherd/nestjs',
  '@shepherd/cli',
];

let packed: PackedPackage[] = [];
const background: Background[] = [];

/** `shepherd coordinator` from a project's node_modules/.bin, on a free port; resolves when up. */
async function startCoordinator(projectDir: string): Promise<string> {
  const port = await freePort();
  const coordinator = new Background(
    'coordinator',
    bin(projectDir, 'shepherd'),
    ['coordinator', '--clientPort', String(port), '--dataDir', join(projectDir, `data-${port}`)],
    { cwd: projectDir },
  );
  background.push(coordinator);
  await coordinator.waitFor(/"msg":"listening for client connections"/, 30_000);
  return `127.0.0.1:${port}`;
}

const installed = new Map<string, Promise<string>>();

/** A copy of examples/<name> with the tarballs installed (once per run). */
function installedExample(name: string): Promise<string> {
  let dir = installed.get(name);
  if (!dir) {
    dir = installProject(packed, join(REPO_ROOT, 'examples', name)).then(({ dir, install }) => {
      if (install.code !== 0) throw new Error(describeRun(`npm install in ${name}`, install));
      return dir;
    });
    installed.set(name, dir);
  }
  return dir;
}

/** The installed example, and a coordinator of its own for this test. */
async function exampleProject(name: string): Promise<{ dir: string; zk: string }> {
  const dir = await installedExample(name);
  return { dir, zk: await startCoordinator(dir) };
}

function start(name: string, dir: string, command: string, args: string[], zk: string): Background {
  const process = new Background(name, command, args, { cwd: dir, env: { ZK_CONNECT: zk } });
  background.push(process);
  return process;
}

beforeAll(async () => {
  packed = await packWorkspaces();
}, 600_000);

afterEach(async () => {
  await Promise.all(background.splice(0).map((b) => b.stop()));
});

afterAll(() => removeTemporaryFolders());

describe('the packages, installed from their tarballs into projects outside the repo', () => {
  it('pack one tarball per package: compiled JavaScript, types, README; no sources or tests', () => {
    expect(packed.map((p) => p.name).sort()).toEqual([...PACKAGES].sort());
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      const main = p.name === '@shepherd/cli' ? 'dist/cli/src/index' : 'dist/index';
      expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md']));
      expect(files).toEqual(expect.arrayContaining([`${main}.js`, `${main}.d.ts`]));
      const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
      expect({ name: p.name, sources }).toEqual({ name: p.name, sources: [] });
      const stray = files.filter(
        (f) => /(^|\/)(src|test|bench)\//.test(f) && !f.startsWith('dist/'),
      );
      expect({ name: p.name, stray }).toEqual({ name: p.name, stray: [] });
    }
    const cli = packed.find((p) => p.name === '@shepherd/cli')!;
    expect(cli.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['dist/cli/src/main.js', 'dist/dashboard/index.html']),
    );
  });

  it('install with npm next to registry packages only, with no engine warning, and load with require and import', async () => {
    const { dir, install } = await installProject(packed);
    expect(install.code).toBe(0);
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE/);
    // Every package in the tree is ours (from the tarballs) or from the registry: no links, no
    // folders, nothing of the repo. (With npm's omit-lockfile-registry-resolved a registry
    // package's lock entry has no `resolved`; otherwise it is an https URL.)
    for (const [path, entry] of Object.entries(readLock(dir).packages)) {
      if (path === '') continue;
      const ours = path.replace(/^.*node_modules\//, '').startsWith('@shepherd/');
      const where = { path, link: entry.link === true, resolved: entry.resolved ?? 'registry' };
      expect(where).toEqual({
        path,
        link: false,
        resolved: ours
          ? expect.stringMatching(/^file:shepherd-.*\.tgz$/)
          : expect.stringMatching(/^(registry|https:\/\/.*\.tgz)$/),
      });
    }
    const names = JSON.stringify(PACKAGES);
    const cjs = await run(
      'node',
      [
        '-e',
        `for (const n of ${names}) { const m = require(n); if (Object.keys(m).length < 3) throw new Error(n) }`,
      ],
      { cwd: dir },
    );
    expect(cjs.code).toBe(0);
    const esm = await run(
      'node',
      [
        '--input-type=module',
        '-e',
        [
          "import { Worker, Master, TaskQueueClient } from '@shepherd/taskqueue';",
          "import { ZooKeeperClient } from '@shepherd/zk-client';",
          "import { ZkServer } from '@shepherd/zk-server';",
          "import { OpCode } from '@shepherd/zk-protocol';",
          "import { LeaderElection } from '@shepherd/coordination';",
          "import { WorkerModule, TaskHandler } from '@shepherd/nestjs';",
          "import { runCli } from '@shepherd/cli';",
          'for (const x of [Worker, Master, TaskQueueClient, ZooKeeperClient, ZkServer, LeaderElection, WorkerModule, TaskHandler, runCli])',
          "  if (typeof x !== 'function') throw new Error('missing export');",
          "if (OpCode.create !== 1) throw new Error('OpCode');",
        ].join('\n'),
      ],
      { cwd: dir },
    );
    expect(esm.code).toBe(0);
    const version = await run(bin(dir, 'shepherd'), ['--version'], { cwd: dir });
    expect(version.stdout.trim()).toBe(packed[0].version);
  }, 600_000);

  it('type-check a TypeScript consumer (strict, skipLibCheck off) against the shipped types', async () => {
    const { dir, install } = await installProject(packed);
    expect(install.code).toBe(0);
    const types = await npm(['install', '@types/node@^20.19.0'], dir);
    expect(types.code).toBe(0);
    copyFileSync(join(__dirname, 'consumer', 'consumer.ts'), join(dir, 'consumer.ts'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'commonjs',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    // The repo's compiler, but nothing else of the repo: modules resolve in the user's project.
    const tsc = await run('node', [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: dir,
    });
    expect(tsc.code === 0 ? '' : describeRun('tsc', tsc)).toBe('');
  }, 600_000);

  it('run the plain-Node example against `shepherd coordinator`: its handlers run, its script reads the results', async () => {
    const { dir, zk } = await exampleProject('plain-node');
    await start('master', dir, 'node', ['master.js'], zk).waitFor(/master \S+ started/);
    await start('worker', dir, 'node', ['worker.js'], zk).waitFor(
      /worker \S+ started: flaky, wordcount/,
    );
    const submit = await run('node', ['submit.js'], { cwd: dir, env: { ZK_CONNECT: zk } });
    expect(submit.code === 0 ? '' : describeRun('node submit.js', submit)).toBe('');
    expect(submit.stdout).toMatch(/^wordcount task-\S+: done \{"words":9,"distinct":8\}$/m);
    expect(submit.stdout).toMatch(/^flaky task-\S+: done \{"attempt":2\}$/m);
  }, 600_000);

  it("run `shepherd worker --handlers` on the example's module; `shepherd submit --wait` prints the outcome and exits 0 only when done", async () => {
    const { dir, zk } = await exampleProject('plain-node');
    const shepherd = bin(dir, 'shepherd');
    await start('master', dir, shepherd, ['master'], zk).waitFor(/master started/);
    await start('worker', dir, shepherd, ['worker', '--handlers', './handlers.js'], zk).waitFor(
      /worker started/,
    );
    const env = { ZK_CONNECT: zk };
    const done = await run(shepherd, ['submit', 'wordcount', '{"text":"a b a"}', '--wait'], {
      cwd: dir,
      env,
    });
    expect(done.code === 0 ? '' : describeRun('shepherd submit', done)).toBe('');
    expect(JSON.parse(done.stdout)).toMatchObject({
      state: 'done',
      result: { words: 3, distinct: 2 },
    });
    const failed = await run(shepherd, ['submit', 'wordcount', '{"text":1}', '--wait'], {
      cwd: dir,
      env,
    });
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      error: { message: 'payload.text must be a string' },
    });
    const bad = await run(shepherd, ['worker', '--handlers', './missing.js'], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/handler module \.\/missing\.js not found/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 600_000);

  it("bring up a whole cluster over TLS with `shepherd up --handlers --tls`: the REST API runs the user's handler, the dashboard is served, `shepherd submit` connects with the banner's TLS variables", async () => {
    const dir = await installedExample('plain-node');
    const [port, zkPort] = [await freePort(), await freePort()];
    const up = new Background(
      'shepherd up',
      bin(dir, 'shepherd'),
      [
        'up',
        '--handlers',
        './handlers.js',
        '--workers',
        '1',
        '--masters',
        '1',
        '--port',
        String(port),
        '--zk-port',
        String(zkPort),
        '--data-dir',
        `./data-up-${zkPort}`,
        '--tls',
      ],
      { cwd: dir },
    );
    background.push(up);
    await up.waitFor(/Ctrl-C stops everything\./, 180_000);
    expect(up.output).toContain(`-d '{"type":"flaky","payload":null}'`);
    // The banner's "More workers" line names what another process needs: the connect string
    // and the throwaway CA's files. A CLI command given them reaches the TLS-only coordinator.
    const more = /More workers\s+(.*)$/m.exec(up.output)?.[1] ?? '';
    const tlsEnv = Object.fromEntries(
      [...more.matchAll(/(ZK_[A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]),
    );
    expect(Object.keys(tlsEnv)).toEqual(['ZK_CONNECT', 'ZK_TLS_CA', 'ZK_TLS_CERT', 'ZK_TLS_KEY']);
    const viaCli = await run(
      bin(dir, 'shepherd'),
      ['submit', 'wordcount', '{"text":"over tls"}', '--wait'],
      { cwd: dir, env: tlsEnv },
    );
    expect(viaCli.code === 0 ? '' : describeRun('shepherd submit', viaCli)).toBe('');
    expect(JSON.parse(viaCli.stdout)).toMatchObject({ state: 'done', result: { words: 2 } });
    const base = `http://127.0.0.1:${port}`;
    const submitted = await fetch(`${base}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'wordcount', payload: { text: 'to be or not to be' } }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const done = await fetch(`${base}/tasks/${id}?wait=30`);
    expect(await done.json()).toMatchObject({ state: 'done', result: { words: 6, distinct: 4 } });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    await up.stop(30_000);
    expect(await up.exited).toBe(0);
  }, 600_000);

  it('build and run the Nest example: @TaskHandler providers run what the injected client submits', async () => {
    const { dir, zk } = await exampleProject('nestjs');
    const build = await npm(['run', 'build'], dir);
    expect(build.code === 0 ? '' : describeRun('npm run build', build)).toBe('');
    const app = await run('node', ['dist/main.js'], { cwd: dir, env: { ZK_CONNECT: zk } });
    expect(app.code === 0 ? '' : describeRun('node dist/main.js', app)).toBe('');
    expect(app.stdout).toMatch(/^task-\S+: done \{"width":128,"height":72\}$/m);
    expect(app.stdout).toMatch(/^task-\S+: done \{"width":85,"height":128\}$/m);
  }, 600_000);
});
