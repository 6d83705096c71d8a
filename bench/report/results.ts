/** Reading the JSON files the benchmarks wrote; a missing file is an answer, not an error. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from './types';

export interface Loaded<T> {
  /** The file name inside the results directory. */
  file: string;
  data: T;
  source: Source;
}

interface Common {
  when?: string;
  machine?: Source['machine'];
}

export function readResult<T extends object>(dir: string, file: string): Loaded<T> | undefined {
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  const data = JSON.parse(readFileSync(path, 'utf8')) as T & Common;
  return { file, data, source: { file, when: data.when, machine: data.machine } };
}

/** Every result file whose name starts with `prefix` (e.g. chaos-*.json), in name order. */
export function readResults<T extends object>(dir: string, prefix: string): Loaded<T>[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((f) => readResult<T>(dir, f)!);
}
