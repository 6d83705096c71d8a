/** One retention pass that pruned something, as the master logged it. */
export interface RetentionPass {
  /** When it ended (ms since the epoch, the master's clock). */
  endedAt: number;
  /** Records in /status when it started, and how many it meant to prune. */
  records?: number;
  toPrune?: number;
  pruned: number;
  /** The pass's own duration, listing included. */
  ms: number;
}

interface LogLine {
  t: number;
  msg?: string;
  level?: string;
  records?: number;
  toPrune?: number;
  pruned?: number;
  ms?: number;
  err?: string;
}

function lines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return []; // the first line of a kept tail may be cut
      }
    });
}

/**
 * The passes in the master's output (retention-master.ts prints one JSON line per entry): a
 * pass that prunes logs "pruning /status" with its plan, then "/status pruned" with the count
 * and its duration. A pass with nothing to prune logs nothing.
 */
export function retentionPasses(output: string): RetentionPass[] {
  const passes: RetentionPass[] = [];
  let plan: LogLine | undefined;
  for (const l of lines(output)) {
    if (l.msg === 'retention: pruning /status') plan = l;
    if (l.msg === 'retention: /status pruned') {
      passes.push({
        endedAt: l.t,
        records: plan?.records,
        toPrune: plan?.toPrune,
        pruned: l.pruned ?? 0,
        ms: l.ms ?? NaN,
      });
      plan = undefined;
    }
  }
  return passes;
}

/** Warnings and errors the master logged (a failed retention pass among them). */
export function masterProblems(output: string): string[] {
  return lines(output)
    .filter((l) => l.level === 'warn' || l.level === 'error')
    .map((l) => `${l.level}: ${l.msg ?? ''} ${l.err ?? ''}`.trim());
}
