import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../throughput/child';

/**
 * The packages built from the working tree (`tsc -b tsconfig.build.json`, what `npm run build`
 * starts with; incremental, so a few seconds at most), so the master app runs as
 * `npm run master` runs it: node on the build, not ts-node, whose TypeScript compiler about
 * doubles an idle master's RSS (some 200 MB against 90 MB), which is what this part measures.
 */
export function compileApps(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building the packages failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Node arguments that run the compiled master app; it finds the other packages (their
 * compiled dist) through node_modules, where the npm workspaces link them.
 */
export function compiledMaster(): { args: string[]; env: Record<string, string> } {
  return { args: [join(REPO_ROOT, 'apps/dist/master/src/main.js')], env: {} };
}
