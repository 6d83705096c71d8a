import { isTaskState } from './task-state';
import {
  MAX_DEPENDENCY_LINKS,
  CorruptTaskRecordError,
  HistoryEntry,
  HistoryEvent,
  TaskOptions,
  TaskRecord,
} from './task-record';

/**
 * How a task record is stored in its znode: compact JSON (encoding version 2, `"v":2`).
 *
 * A million finished records sit in the coordinator's memory, and every transition writes,
 * logs, fsyncs and sends the whole record, so the stored form carries no more than it must:
 * - short keys (the table below); fields that are undefined, and options at their defaults,
 *   are left out; the id is the znode's name and is not repeated;
 * - createdAt is epoch ms; every later time of the record and of its history is ms after it;
 * - a history entry is an array `[ms after createdAt, event code, worker?, detail?]`: the event
 *   as one letter (EVENT_CODES), the worker as 0 when it is the record's `worker` (the usual
 *   case) and null when absent, and the assigned event's detail "attempt k of M" (M =
 *   maxAttempts) as the number k.
 * Still JSON, so a person reading a znode with zkCli can follow it; docs/design.md has the
 * table. decodeRecord also reads version 1 (the whole TaskRecord as JSON, with its id), which
 * trees written before this encoding hold.
 *
 *   key  field                 key  field               key  field
 *   t    type                  u    updatedAt (+c)      r    result
 *   p    payload (absent=null) nb   notBefore (+c)      e    error
 *   o    non-default options   w    worker              h    history
 *   s    state                 ws   workerSession       sc   schedule
 *   n    attempts (absent=0)   sa   startedAt (+c)      sf   scheduledFor (epoch ms)
 *   c    createdAt (epoch ms)  fa   finishedAt (+c)     fl   flow
 *   g    progress              d    dependencies        fd   failedDependencies
 *   tc   trace (W3C context)
 */
const ENCODING = 2;

/** One letter per history event. Fixed for the encoding: add letters, never change one. */
const EVENT_CODES: Readonly<Record<HistoryEvent, string>> = {
  waiting: 'w',
  queued: 'q',
  assigned: 'a',
  started: 's',
  completed: 'c',
  failed: 'f',
  'timed-out': 't',
  'retry-scheduled': 'r',
  reassigned: 'g',
  'handed-back': 'h',
  dead: 'd',
  cancelled: 'x',
  redriven: 'v',
};
const EVENTS_BY_CODE = new Map(
  Object.entries(EVENT_CODES).map(([event, code]) => [code, event as HistoryEvent]),
);

/** The option values a version-2 record leaves out. Fixed for the encoding: never change them. */
const OPTION_DEFAULTS = { maxAttempts: 3, timeoutMs: null, backoffMs: 1000, priority: 0 } as const;

interface StoredRecord {
  v: number;
  t: string;
  p?: unknown;
  o?: Partial<TaskOptions>;
  s: string;
  n?: number;
  c: number;
  u?: number;
  nb?: number;
  w?: string;
  ws?: string;
  sa?: number;
  fa?: number;
  g?: unknown;
  r?: unknown;
  e?: TaskRecord['error'];
  h: StoredEntry[];
  sc?: string;
  sf?: number;
  fl?: TaskRecord['flow'];
  d?: TaskRecord['dependencies'];
  fd?: TaskRecord['failedDependencies'];
  tc?: TaskRecord['trace'];
}

type StoredEntry = [number, string, (string | 0 | null)?, (string | number)?];

export function encodeRecord(record: TaskRecord): Buffer {
  return Buffer.from(JSON.stringify(toStored(record)));
}

/**
 * Parses a record stored at `path` (its last segment is the task id); throws
 * CorruptTaskRecordError for anything that is not one (a znode written by another tool, null
 * data, a truncated write), so callers can set it aside instead of crashing.
 */
export function decodeRecord(data: Buffer | null, path: string): TaskRecord {
  if (data === null) throw new CorruptTaskRecordError(path, 'null data');
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new CorruptTaskRecordError(path, (err as Error).message);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new CorruptTaskRecordError(path, 'not an object');
  const v = (value as { v?: unknown }).v;
  if (v === ENCODING) return fromStored(value as StoredRecord, path);
  if (v === 1) return checkedV1(value as Partial<TaskRecord>, path);
  throw new CorruptTaskRecordError(path, `unknown version ${String(v)}`);
}

function toStored(r: TaskRecord): StoredRecord {
  const c = r.createdAt;
  const s = { v: ENCODING, t: r.type, s: r.state, c } as StoredRecord;
  if (r.payload !== null && r.payload !== undefined) s.p = r.payload;
  const o = storedOptions(r.options);
  if (o) s.o = o;
  if (r.attempts !== 0) s.n = r.attempts;
  if (r.updatedAt !== c) s.u = r.updatedAt - c;
  if (r.notBefore !== undefined) s.nb = r.notBefore - c;
  if (r.worker !== undefined) s.w = r.worker;
  if (r.workerSession !== undefined) s.ws = r.workerSession;
  if (r.startedAt !== undefined) s.sa = r.startedAt - c;
  if (r.finishedAt !== undefined) s.fa = r.finishedAt - c;
  if (r.progress !== undefined) s.g = r.progress;
  if (r.result !== undefined) s.r = r.result;
  if (r.error !== undefined) s.e = r.error;
  s.h = r.history.map((e) => storedEntry(e, r));
  if (r.schedule !== undefined) s.sc = r.schedule;
  if (r.scheduledFor !== undefined) s.sf = r.scheduledFor;
  if (r.flow !== undefined) s.fl = r.flow;
  if (r.dependencies !== undefined) s.d = r.dependencies;
  if (r.failedDependencies !== undefined) s.fd = r.failedDependencies;
  if (r.trace !== undefined) s.tc = r.trace;
  return s;
}

function storedOptions(options: TaskOptions): Partial<TaskOptions> | undefined {
  let o: Partial<TaskOptions> | undefined;
  for (const key of Object.keys(options) as (keyof TaskOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (key in OPTION_DEFAULTS && OPTION_DEFAULTS[key as keyof typeof OPTION_DEFAULTS] === value)
      continue;
    (o ??= {})[key] = value as never;
  }
  return o;
}

function storedEntry(e: HistoryEntry, r: TaskRecord): StoredEntry {
  const out: StoredEntry = [e.at - r.createdAt, EVENT_CODES[e.event]];
  let detail: string | number | undefined = e.detail;
  if (e.event === 'assigned' && detail !== undefined) {
    const k = attemptOf(detail, r.options.maxAttempts);
    if (k !== undefined) detail = k;
  }
  if (e.worker !== undefined) out.push(e.worker === r.worker ? 0 : e.worker);
  else if (detail !== undefined) out.push(null);
  if (detail !== undefined) out.push(detail);
  return out;
}

/** k when `detail` is exactly the assign transition's "attempt k of M". */
function attemptOf(detail: string, maxAttempts: number): number | undefined {
  const m = /^attempt ([1-9][0-9]*) of ([1-9][0-9]*)$/.exec(detail);
  if (!m || Number(m[2]) !== maxAttempts) return undefined;
  const k = Number(m[1]);
  return Number.isSafeInteger(k) ? k : undefined;
}

function fromStored(s: StoredRecord, path: string): TaskRecord {
  const id = idOf(path);
  const c = s.c;
  if (typeof s.t !== 'string' || !isTaskState(s.s) || typeof c !== 'number')
    throw new CorruptTaskRecordError(path, 'missing type, state or createdAt');
  if (!Array.isArray(s.h)) throw new CorruptTaskRecordError(path, 'missing history');
  const options: TaskOptions = { ...OPTION_DEFAULTS, ...(s.o ?? {}) };
  const after = (ms: number | undefined) => (ms === undefined ? undefined : c + ms);
  const worker = s.w;
  const history = s.h.map((e) => entryOf(e, c, worker, options.maxAttempts, path));
  // Every field listed, in TaskRecord's order, so every decoded record has one shape.
  return {
    v: 1,
    id,
    type: s.t,
    payload: s.p === undefined ? null : s.p,
    options,
    state: s.s,
    attempts: s.n ?? 0,
    createdAt: c,
    updatedAt: c + (s.u ?? 0),
    notBefore: after(s.nb),
    worker,
    workerSession: s.ws,
    startedAt: after(s.sa),
    finishedAt: after(s.fa),
    progress: s.g,
    result: s.r,
    error: s.e,
    history,
    schedule: s.sc,
    scheduledFor: s.sf,
    flow: s.fl,
    dependencies: s.d,
    failedDependencies: s.fd,
    trace: traceOf(s.tc),
  };
}

/**
 * The trace context, when it is one: a damaged one is dropped rather than failing the record,
 * since tracing is never a reason for a task not to run.
 */
function traceOf(tc: unknown): TaskRecord['trace'] {
  if (tc === null || typeof tc !== 'object') return undefined;
  const { traceparent, tracestate, lastAttempt, dependencies } = tc as Record<string, unknown>;
  if (typeof traceparent !== 'string') return undefined;
  const trace: NonNullable<TaskRecord['trace']> = { traceparent };
  if (typeof tracestate === 'string') trace.tracestate = tracestate;
  if (typeof lastAttempt === 'string') trace.lastAttempt = lastAttempt;
  if (Array.isArray(dependencies))
    trace.dependencies = dependencies
      .filter((d): d is string => typeof d === 'string')
      .slice(0, MAX_DEPENDENCY_LINKS);
  return trace;
}

function entryOf(
  e: StoredEntry,
  createdAt: number,
  worker: string | undefined,
  maxAttempts: number,
  path: string,
): HistoryEntry {
  const event = Array.isArray(e) && typeof e[0] === 'number' && EVENTS_BY_CODE.get(e[1]);
  if (!event) throw new CorruptTaskRecordError(path, 'bad history entry');
  const entry: HistoryEntry = { at: createdAt + e[0], event };
  const w = e[2];
  if (w === 0) entry.worker = worker;
  else if (typeof w === 'string') entry.worker = w;
  const detail = e[3];
  if (typeof detail === 'number') entry.detail = `attempt ${detail} of ${maxAttempts}`;
  else if (typeof detail === 'string') entry.detail = detail;
  return entry;
}

/** The task id: the znode's name. */
function idOf(path: string): string {
  const slash = path.lastIndexOf('/');
  const id = slash < 0 ? path : path.slice(slash + 1);
  if (id.length === 0) throw new CorruptTaskRecordError(path, 'no task id in the path');
  return id;
}

/** A version-1 record: the TaskRecord itself, as JSON. */
function checkedV1(r: Partial<TaskRecord>, path: string): TaskRecord {
  if (typeof r.id !== 'string' || typeof r.type !== 'string')
    throw new CorruptTaskRecordError(path, 'missing id or type');
  if (!isTaskState(r.state)) throw new CorruptTaskRecordError(path, 'bad state');
  if (typeof r.attempts !== 'number' || !Array.isArray(r.history) || !r.options)
    throw new CorruptTaskRecordError(path, 'missing attempts, history or options');
  return r as TaskRecord;
}
