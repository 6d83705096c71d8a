import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../throughput/child';

/**
 * The master app compiled to JavaScript, as `npm run master` runs it (node on the build, not
 * ts-node): the TypeScript compiler that ts-node loads about doubles an idle master's RSS
 * (some 200 MB against 90 MB), which is what this part measures. Built from the working tree
 * into `outDir` (tsc with tsconfig.build.json, a few seconds), so the figures are of this
 * source, not of a stale dist/.
 */
export function compileApps(outDir: string): void {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`compiling the apps failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Node arguments and environment that run the compiled master app; tsconfig-paths maps the
 * @app/* imports onto the compiled libraries (TS_NODE_BASEURL moves the tsconfig's baseUrl), and
 * NODE_PATH finds the repository's node_modules from a build outside it.
 */
export function compiledMaster(outDir: string): { args: string[]; env: Record<string, string> } {
  return {
    args: ['-r', 'tsconfig-paths/register', join(outDir, 'apps/master/src/main.js')],
    env: { TS_NODE_BASEURL: outDir, NODE_PATH: join(REPO_ROOT, 'node_modules') },
  };
}
