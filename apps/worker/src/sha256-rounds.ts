import { createHash } from 'crypto';
import { setImmediate as yieldToEventLoop } from 'timers/promises';

export interface Sha256RoundsOptions {
  signal?: AbortSignal;
  /** Called after every chunk with the fraction done, in (0, 1]. */
  onProgress?: (fraction: number) => void;
  /** CPU time per chunk before yielding to the event loop (default 20 ms). */
  sliceMs?: number;
}

/**
 * Hashes `data` with SHA-256, then the digest again, `rounds` times in all, and returns the
 * last digest in hex. The work runs in slices of about `sliceMs`, yielding to the event loop
 * between them, so the process keeps answering its ZooKeeper pings and heartbeats, and an
 * abort (timeout, cancel, shutdown) stops it within a slice.
 */
export async function sha256Rounds(
  data: string,
  rounds: number,
  options: Sha256RoundsOptions = {},
): Promise<string> {
  const { signal, onProgress, sliceMs = 20 } = options;
  let digest = createHash('sha256').update(data, 'utf8').digest();
  let done = 1;
  // Rounds per slice adapt to the machine: re-measured after each slice.
  let chunk = 1000;
  while (done < rounds) {
    signal?.throwIfAborted();
    const started = performance.now();
    const end = Math.min(rounds, done + chunk);
    for (; done < end; done++) digest = createHash('sha256').update(digest).digest();
    const elapsed = performance.now() - started;
    if (elapsed > 0) chunk = Math.max(100, Math.round((chunk * sliceMs) / elapsed));
    onProgress?.(done / rounds);
    await yieldToEventLoop();
  }
  signal?.throwIfAborted();
  if (rounds === 1) onProgress?.(1);
  return digest.toString('hex');
}
