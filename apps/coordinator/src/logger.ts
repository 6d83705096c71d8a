import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines on stdout, written synchronously: a coordinator logs little, and a line written
 * before a crash (or a kill -9) must not be lost in a buffer. LOG_LEVEL picks the level.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    { name: 'coordinator', level, base: { pid: process.pid } },
    pino.destination({ dest: 1, sync: true }),
  );
}

/** Zxids and session ids the way ZooKeeper logs them: 0x-prefixed hex. */
export function hex(n: bigint | number): string {
  return `0x${n.toString(16)}`;
}
