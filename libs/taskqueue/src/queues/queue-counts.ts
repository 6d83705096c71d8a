/** Tasks of one type as the leading master last counted them. */
export interface TypeCounts {
  /** Queued tasks of the type whose records the leader has read. */
  queued: number;
  /** Assigned or running, cluster-wide. */
  running: number;
}

/**
 * What the leading master publishes in the data of /queues (the root of the per-type settings,
 * whose own data held nothing): per-type counts, so GET /queues can show them without reading
 * every queued record. The leader learns a queued task's type when it reads the record, which
 * it does ahead of assigning: in a backlog deeper than it has read so far, the unread tasks are
 * counted in `unclassified` until it reaches them.
 */
export interface QueueCountsData {
  v: 1;
  /** When the counts were taken (epoch ms). */
  at: number;
  /** The master that counted (the leader at that time). */
  leader: string;
  types: Record<string, TypeCounts>;
  /** Queued tasks whose type the leader has not read yet. */
  unclassified: number;
}

export function encodeQueueCounts(data: QueueCountsData): Buffer {
  return Buffer.from(JSON.stringify(data));
}

/** The counts in /queues' data, or undefined when there are none (no leader published yet). */
export function decodeQueueCounts(data: Buffer | null | undefined): QueueCountsData | undefined {
  if (!data || data.length === 0) return undefined;
  try {
    const raw = JSON.parse(data.toString('utf8')) as Partial<QueueCountsData> | null;
    if (raw?.v !== 1 || typeof raw.at !== 'number' || raw.types === null) return undefined;
    if (typeof raw.types !== 'object') return undefined;
    return {
      v: 1,
      at: raw.at,
      leader: typeof raw.leader === 'string' ? raw.leader : '',
      types: raw.types,
      unclassified: typeof raw.unclassified === 'number' ? raw.unclassified : 0,
    };
  } catch {
    return undefined;
  }
}

/** Whether two countings say the same (their times aside): unchanged counts are not written. */
export function sameCounts(a: QueueCountsData | undefined, b: QueueCountsData): boolean {
  if (a === undefined || a.unclassified !== b.unclassified || a.leader !== b.leader) return false;
  const ka = Object.keys(a.types);
  if (ka.length !== Object.keys(b.types).length) return false;
  return ka.every(
    (t) => a.types[t].queued === b.types[t]?.queued && a.types[t].running === b.types[t]?.running,
  );
}
