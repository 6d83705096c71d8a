import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { REPO_ROOT, RunResult, describeRun, npm } from './commands';

/** Every folder this module made, removed by removeTemporaryFolders(). */
const made: string[] = [];

function temporaryFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the tarballs and the projects made so far. */
export function removeTemporaryFolders(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One tarball of `npm pack --workspaces --json`. */
export interface PackedPackage {
  name: string;
  version: string;
  filename: string;
  /** Its path, once packed into the destination folder. */
  path: string;
  files: { path: string }[];
}

/**
 * Packs every workspace as `npm pack --workspaces` does (each package's prepack builds it)
 * into a fresh folder outside the repo.
 */
export async function packWorkspaces(): Promise<PackedPackage[]> {
  const dest = temporaryFolder('shepherd-tarballs-');
  const r = await npm(['pack', '--workspaces', '--json', '--pack-destination', dest], REPO_ROOT);
  if (r.code !== 0) throw new Error(describeRun('npm pack --workspaces', r));
  // Lifecycle scripts (prepack) print before the JSON: it is the last top-level array.
  const json = r.stdout.slice(r.stdout.lastIndexOf('\n[') + 1);
  const packed = JSON.parse(json.startsWith('[') ? json : r.stdout) as PackedPackage[];
  return packed.map((p) => ({ ...p, path: join(dest, p.filename) }));
}

/**
 * A project outside the repo, as a user starts one: `source` (an example folder) copied, or an
 * empty package.json, then `npm install` of the tarballs and of whatever registry packages its
 * package.json names. Nothing resolves into the repo: its node_modules are not on any path.
 */
export async function installProject(
  tarballs: readonly PackedPackage[],
  source?: string,
): Promise<{ dir: string; install: RunResult }> {
  const dir = temporaryFolder('shepherd-user-project-');
  if (source) {
    cpSync(source, dir, {
      recursive: true,
      filter: (src) => !/(^|\/)(node_modules|dist|data)(\/|$)/.test(src.slice(source.length)),
    });
  } else {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }, null, 2),
    );
  }
  // Tarballs by path, as `npm install ./shepherd-taskqueue-0.1.0.tgz` would take them.
  for (const t of tarballs) copyFileSync(t.path, join(dir, t.filename));
  const install = await npm(['install', ...tarballs.map((t) => `./${t.filename}`)], dir, 600_000);
  return { dir, install };
}

/** The bin of an installed package, by its name in node_modules/.bin. */
export function bin(dir: string, name: string): string {
  return resolve(dir, 'node_modules', '.bin', name);
}

/** The installed tree (`npm ls --all --json`), for where each package came from. */
export function readLock(dir: string): {
  packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
} {
  return JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as ReturnType<
    typeof readLock
  >;
}
