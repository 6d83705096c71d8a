/** A worker's registration, read from the JSON of its ephemeral /workers/<id> node. */
export interface WorkerRegistration {
  id: string;
  host?: string;
  pid?: number;
  concurrency: number;
  /**
   * Tasks it holds beyond `concurrency`, read and waiting for a free slot (Celery's prefetch):
   * the next task is there the moment one finishes. 0 when not written (older workers).
   */
  prefetch: number;
  types: string[];
  since?: number;
  draining: boolean;
}

/** A master's election candidacy, read from its election node. */
export interface CandidateRegistration {
  id: string;
  host?: string;
  pid?: number;
  since?: number;
}

/** The JSON object a node holds, or undefined if its data is anything else. */
function parseObject(data: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The optional host, pid and since both roles write; absent or mistyped ones are left out. */
function origin(j: Record<string, unknown> | undefined) {
  const out: { host?: string; pid?: number; since?: number } = {};
  const host = str(j?.host);
  const pid = num(j?.pid);
  const since = num(j?.since);
  if (host !== undefined) out.host = host;
  if (pid !== undefined) out.pid = pid;
  if (since !== undefined) out.since = since;
  return out;
}

/** A prefetch as written, or 0 when absent or unusable (a bad value must not add capacity). */
const prefetchOf = (v: number | undefined) =>
  v !== undefined && Number.isInteger(v) && v > 0 ? v : 0;

/**
 * A /workers/<id> node's data (JSON written by the worker), tolerant of missing fields and of
 * data that is not JSON at all. The concurrency is what `capacity` makes of the number written
 * (undefined if none): the client shows a default, the master gives no work to a worker that
 * declared no usable capacity.
 */
export function parseWorkerRegistration(
  id: string,
  data: Buffer,
  capacity: (written: number | undefined) => number,
): WorkerRegistration {
  const j = parseObject(data) ?? {};
  return {
    id,
    concurrency: capacity(num(j.concurrency)),
    prefetch: prefetchOf(num(j.prefetch)),
    types: Array.isArray(j.types) ? j.types.filter((t): t is string => typeof t === 'string') : [],
    draining: j.draining === true,
    ...origin(j),
  };
}

/**
 * An election node's data: JSON with an `id` (what the master writes), or else the bytes as
 * the id (the election recipe's default when no data is given).
 */
export function parseCandidateRegistration(data: Buffer): CandidateRegistration {
  const j = parseObject(data);
  return { id: str(j?.id) ?? data.toString('utf8'), ...origin(j) };
}
