import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const REPO = resolve(__dirname, '..', '..');
/** What server-process.ts pulls in: the server and the protocol codec it uses. */
const SOURCES = [
  'libs/zk-protocol/src',
  'libs/zk-server/src',
  'bench/coordinator/server-process.ts',
];

function tsFiles(path: string): string[] {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(join(REPO, path), { withFileTypes: true }).flatMap((e) => {
    const child = `${path}/${e.name}`;
    if (e.isDirectory()) return tsFiles(child);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [child] : [];
  });
}

/**
 * Transpiles the coordinator child (server-process.ts and the libs it imports) to plain
 * CommonJS under `outDir`, and returns the entry script. The child then starts like a built
 * app (`node dist/...`): no ts-node in it, whose TypeScript compiler would add seconds to every
 * (re)start and ~100 MB to the RSS the benchmark reports. `@shepherd/<lib>` imports are rewritten
 * to relative paths onto the transpiled sources. Transpile only (the repo is type
 * checked by `npm run typecheck`), so this takes a second or two.
 */
export function compileChild(outDir: string): string {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  };
  for (const file of SOURCES.flatMap(tsFiles)) {
    const out = join(outDir, file.replace(/\.ts$/, '.js'));
    const source = readFileSync(join(REPO, file), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: file });
    const fromDir = dirname(out);
    const js = outputText.replace(
      /require\("@shepherd\/([\w-]+)(\/[^"]*)?"\)/g,
      (_, lib: string, sub: string | undefined) => {
        const target = join(outDir, 'libs', lib, 'src', sub ?? '');
        const rel = relative(fromDir, target).replace(/\\/g, '/');
        return `require("${rel.startsWith('.') ? rel : `./${rel}`}")`;
      },
    );
    mkdirSync(fromDir, { recursive: true });
    writeFileSync(out, js);
  }
  return join(outDir, 'bench', 'coordinator', 'server-process.js');
}
