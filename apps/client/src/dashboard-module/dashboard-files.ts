import { existsSync } from 'fs';
import { readFile } from 'fs/promises';
import { dirname, extname, join } from 'path';

export const NOT_BUILT_MESSAGE = 'dashboard not built: run npm run build:dashboard';

/** What the page is made of: types the browser must be told (module scripts need a JS type). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** An asset name: one path segment, no dot first (so no `..` and no hidden files). */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface Asset {
  body: Buffer;
  contentType: string;
}

/**
 * The @shepherd/cli package's root: the nearest folder above `from` holding a package.json
 * (apps/ in this repo, node_modules/@shepherd/cli when installed). The same walk works from the
 * sources (ts-node, jest) and from the build under dist/client/src.
 */
export function findPackageRoot(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Where `npm run build:dashboard` writes the page: dist/dashboard in the package. */
export function defaultDashboardDir(): string | undefined {
  const root = findPackageRoot();
  return root === undefined ? undefined : join(root, 'dist', 'dashboard');
}

/**
 * The built dashboard on disk: index.html and the flat folder of modules and styles beside it.
 * Files are read per request (a few small files; a rebuild shows up on reload).
 */
export class DashboardFiles {
  constructor(readonly dir: string | undefined) {}

  /** False until `npm run build:dashboard` has run. */
  isBuilt(): boolean {
    return this.dir !== undefined && existsSync(join(this.dir, 'index.html'));
  }

  index(): Promise<Asset | undefined> {
    return this.read('index.html');
  }

  /** A file of the page by name; undefined for anything that is not one. */
  asset(name: string): Promise<Asset | undefined> {
    return ASSET_NAME.test(name) ? this.read(name) : Promise.resolve(undefined);
  }

  private async read(name: string): Promise<Asset | undefined> {
    const contentType = CONTENT_TYPES[extname(name).toLowerCase()];
    if (this.dir === undefined || contentType === undefined) return undefined;
    try {
      return { body: await readFile(join(this.dir, name)), contentType };
    } catch {
      return undefined;
    }
  }
}
