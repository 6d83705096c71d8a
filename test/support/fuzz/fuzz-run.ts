import { ConnectionOptions } from 'node:tls';
import { FrameSource } from './frame-source';
import { FuzzConnectionResult, runFuzzConnection } from './fuzz-connection';
import { Prng } from './prng';

export interface FuzzRunOptions {
  host: string;
  port: number;
  seed: number;
  /** Total steps to send, handshakes included. */
  frames: number;
  /** Fuzz connections open at once; each one is replaced when it ends. */
  connections: number;
  /** Steps per connection are drawn from [1, maxPerConnection]. Default 60. */
  maxPerConnection?: number;
  settleMs?: number;
  onFrame?: (kind: string) => void;
  /** Fuzz a secureClientPort through TLS connections made with these options. */
  tls?: ConnectionOptions;
}

export interface FuzzRunReport {
  seed: number;
  framesSent: number;
  connectionsOpened: number;
  closedByServer: number;
  refused: number;
  hung: number;
  replies: number;
  notifications: number;
  /** Samples of replies that were not valid ZooKeeper replies (must stay empty). */
  invalid: string[];
  kinds: Record<string, number>;
}

/**
 * Runs `connections` fuzz connections at a time until `frames` steps were sent, each
 * connection with its own generator forked from the run's seed, so a run replays exactly
 * (byte streams per connection; their interleaving on the server follows the scheduler).
 */
export async function runFuzz(opts: FuzzRunOptions): Promise<FuzzRunReport> {
  const rng = new Prng(opts.seed);
  const report: FuzzRunReport = {
    seed: opts.seed,
    framesSent: 0,
    connectionsOpened: 0,
    closedByServer: 0,
    refused: 0,
    hung: 0,
    replies: 0,
    notifications: 0,
    invalid: [],
    kinds: {},
  };
  const maxPer = opts.maxPerConnection ?? 60;
  let budget = opts.frames;

  const add = (r: FuzzConnectionResult, id: number) => {
    report.framesSent += r.framesSent;
    report.replies += r.replies;
    report.notifications += r.notifications;
    if (r.closedByServer) report.closedByServer++;
    if (r.refused) report.refused++;
    if (r.hung) report.hung++;
    for (const what of r.invalid) {
      if (report.invalid.length < 20) report.invalid.push(`connection ${id}: ${what}`);
    }
  };

  const worker = async () => {
    while (budget > 0) {
      const connRng = rng.fork();
      const frames = Math.min(budget, connRng.range(1, maxPer));
      budget -= frames;
      const id = report.connectionsOpened++;
      const result = await runFuzzConnection({
        host: opts.host,
        port: opts.port,
        // The handshake counts as one of the connection's steps.
        frames: frames - 1,
        source: new FrameSource(connRng),
        settleMs: opts.settleMs,
        tls: opts.tls,
        onFrame: (kind) => {
          report.kinds[kind] = (report.kinds[kind] ?? 0) + 1;
          opts.onFrame?.(kind);
        },
      });
      add(result, id);
      // Steps a closed connection could not send go back to the pool.
      budget += Math.max(0, frames - result.framesSent);
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, () => worker()));
  return report;
}
