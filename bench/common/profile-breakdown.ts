/**
 * Where a process's CPU time went, from a V8 CPU profile (`node --cpu-prof`): self time summed
 * into a few kinds of work (system calls, garbage collection, JSON, each of our libraries by
 * file, dependencies, Node's own JavaScript) and the top functions. Start-up (everything up to
 * the last sample of module loading and ts-node compiling, the collections it causes included)
 * and idle time are left out, so what remains is the work of the run.
 *
 *   npx ts-node --transpile-only bench/common/profile-breakdown.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileBreakdown {
  /** Busy time of the run, in ms (start-up and idle left out). */
  busyMs: number;
  /** Start-up time left out, in ms. */
  startupMs: number;
  /** Share of busy time per kind of work, largest first ([kind, percent]). */
  kinds: [string, number][];
  /** Share of busy time per source file of ours (libs/<lib>/src/...), largest first. */
  files: [string, number][];
  /** The functions with the most self time ([name, percent]). */
  top: [string, number][];
}

const SYSCALLS: Record<string, string> = {
  fdatasync: 'fsync',
  fsync: 'fsync',
  writev: 'socket and file writes',
  writeBuffer: 'socket and file writes',
  writeBuffers: 'socket and file writes',
  writeUtf8String: 'socket and file writes',
  writeLatin1String: 'socket and file writes',
  onStreamRead: 'socket reads',
};

/** The kind of work a frame is, or 'startup' / 'idle' for what is left out. */
export function kindOf(frame: CallFrame): string {
  const { functionName: fn, url } = frame;
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(program)') return 'V8 (program)';
  if (
    url.includes('typescript.js') ||
    url.includes('ts-node') ||
    url.includes('source-map') ||
    url.includes('cjs/loader') ||
    url === 'node:vm' ||
    fn === 'readFileUtf8' ||
    fn === 'readFileSync' ||
    fn === 'internalModuleStat' ||
    fn === 'compileFunction' ||
    fn === 'ContextifyScript'
  )
    return 'startup';
  if (url === '' && SYSCALLS[fn] !== undefined) return SYSCALLS[fn];
  if (url === '' && (fn === 'parse' || fn === 'stringify')) return 'JSON';
  const lib = /\/libs\/([^/]+)\//.exec(url);
  if (lib) return `@shepherd/${lib[1]}`;
  if (url.includes('/apps/') || url.includes('/bench/')) return 'apps and bench';
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dep) return `dependency ${dep[1]}`;
  if (url.startsWith('node:')) return 'Node (JavaScript)';
  return url === '' ? 'native (other)' : 'other';
}

function percentOf(map: Map<string, number>, total: number, top: number): [string, number][] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => [k, Math.round((1000 * us) / total) / 10]);
}

/**
 * When start-up ends: the time of the last sample in start-up code. Everything before it is
 * start-up, including the garbage collections that compiling with ts-node causes (counted by
 * frame alone they made GC look like a third of a worker's run).
 */
function startupEnd(profile: CpuProfile, byId: Map<number, CallFrame>): number {
  let t = 0;
  let end = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id);
    if (frame !== undefined && kindOf(frame) === 'startup') end = t;
  });
  return end;
}

export function breakdown(profile: CpuProfile, top = 15): ProfileBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const kinds = new Map<string, number>();
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  const runStarts = startupEnd(profile, byId);
  let t = 0;
  let startup = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    t += us;
    if (frame === undefined || us <= 0) return;
    const kind = kindOf(frame);
    if (kind === 'idle') return;
    if (t <= runStarts) {
      startup += us;
      return;
    }
    busy += us;
    kinds.set(kind, (kinds.get(kind) ?? 0) + us);
    const file = /\/(libs\/[^/]+\/src\/.+)$/.exec(frame.url)?.[1];
    if (file) files.set(file, (files.get(file) ?? 0) + us);
    const where = frame.url.split('/').slice(-2).join('/');
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    fns.set(name, (fns.get(name) ?? 0) + us);
  });
  return {
    busyMs: Math.round(busy / 1000),
    startupMs: Math.round(startup / 1000),
    kinds: percentOf(kinds, busy, 20),
    files: percentOf(files, busy, top),
    top: percentOf(fns, busy, top),
  };
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-breakdown.ts <file.cpuprofile> [top]');
  const b = breakdown(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 15));
  const rows = (list: [string, number][]) =>
    list.map(([k, p]) => `  ${p.toFixed(1).padStart(5)}%  ${k}`).join('\n');
  process.stdout.write(
    `busy ${b.busyMs} ms (start-up ${b.startupMs} ms left out)\nkinds:\n${rows(b.kinds)}\n` +
      `files:\n${rows(b.files)}\nfunctions:\n${rows(b.top)}\n`,
  );
}
