import { existsSync, readFileSync } from 'fs';
import { dirname, extname, isAbsolute, join, resolve } from 'path';
import { pathToFileURL } from 'url';
import { type TaskHandlerFn, TASK_TYPE_PATTERN, TASK_TYPE_RULE } from '@shepherd/taskqueue';
import { ConfigError } from '../../app-kit/src';

/** The handlers a module gives: task type -> function of the task context. */
export type HandlerTable = Record<string, TaskHandlerFn>;

/**
 * A real dynamic import(), kept out of TypeScript's CommonJS output (which would turn it into
 * require()), so that ES modules load, with top-level await and all, as Node loads them.
 */
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Record<string, unknown>>;

/**
 * Whether Node loads `path` as an ES module: .mjs, or .js under a package.json with
 * `"type": "module"` (Node's rule, nodejs.org/api/packages.html#determining-module-system).
 */
export function isEsm(path: string): boolean {
  const ext = extname(path);
  if (ext === '.mjs') return true;
  if (ext !== '.js') return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

/** A module path as the user typed it, made absolute against `cwd`; bare names stay packages. */
export function resolveHandlerPath(spec: string, cwd: string = process.cwd()): string {
  if (isAbsolute(spec)) return spec;
  if (spec.startsWith('.') || existsSync(resolve(cwd, spec))) return resolve(cwd, spec);
  // A package name (`my-handlers`, `@acme/jobs`): resolved from the current directory.
  return require.resolve(spec, { paths: [cwd] });
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

/**
 * The handlers exported by a module: its named exports that are functions, and the function
 * entries of a default export that is an object (`export default { resize, thumbnail }` or
 * CommonJS `module.exports = { ... }`). Each key is a task type. A module that does not load,
 * exports no handler, or names one with a key that is not a task type is a ConfigError, said
 * in one line (no stack trace): a user's mistake, not a crash.
 */
export function handlersOf(exports: Record<string, unknown>, from: string): HandlerTable {
  const table: HandlerTable = {};
  const problems: string[] = [];
  const add = (type: string, value: unknown): void => {
    if (typeof value !== 'function') return;
    if (!TASK_TYPE_PATTERN.test(type)) {
      problems.push(`${from}: export "${type}" is not a task type (${TASK_TYPE_RULE})`);
      return;
    }
    const existing = table[type];
    if (existing !== undefined && existing !== value) {
      problems.push(`${from}: "${type}" is exported twice, as a named and a default entry`);
      return;
    }
    table[type] = value as TaskHandlerFn;
  };
  const fallback = exports.default;
  if (fallback !== null && typeof fallback === 'object')
    for (const [type, value] of Object.entries(fallback)) add(type, value);
  for (const [type, value] of Object.entries(exports)) {
    if (type === 'default' || type === '__esModule' || type === 'module.exports') continue;
    add(type, value);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (Object.keys(table).length === 0)
    throw new ConfigError([
      `${from} exports no handler: export functions named by task type ` +
        '(export async function resize(task) {...}) or a default object of them',
    ]);
  return table;
}

/** A CommonJS module's exports as import() would show them: named ones, and the default. */
function requireCommonJs(path: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path) as unknown;
  if (mod === null || (typeof mod !== 'object' && typeof mod !== 'function'))
    return { default: mod };
  const named = mod as Record<string, unknown>;
  // TypeScript's and Babel's `export default` compiled to CommonJS.
  return { ...named, default: named.__esModule === true ? named.default : mod };
}

/** Loads a handler module (CommonJS or ESM) and returns its handlers; see handlersOf. */
export async function loadHandlerModule(
  spec: string,
  cwd: string = process.cwd(),
): Promise<HandlerTable> {
  let path: string;
  try {
    path = resolveHandlerPath(spec, cwd);
  } catch (err) {
    throw new ConfigError([`handler module ${spec} not found: ${firstLine(err)}`]);
  }
  if (!existsSync(path)) throw new ConfigError([`handler module ${spec} not found (${path})`]);
  let exports: Record<string, unknown>;
  try {
    // CommonJS through require (also what test runners hook), ES modules through import().
    exports = isEsm(path) ? await importModule(pathToFileURL(path).href) : requireCommonJs(path);
  } catch (err) {
    throw new ConfigError([`handler module ${spec} failed to load: ${firstLine(err)}`]);
  }
  return handlersOf(exports, spec);
}
