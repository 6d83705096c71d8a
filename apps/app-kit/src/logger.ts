import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines on stdout (pino), one logger per app with its name and pid on every line.
 * Written synchronously: these apps log little, and the line before a crash must not be lost.
 */
export function createLogger(name: string, level = 'info'): Logger {
  return pino(
    { name, level, base: { pid: process.pid } },
    pino.destination({ dest: 1, sync: true }),
  );
}

/** Nest's own messages (bootstrap, module init, errors) through the app's pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, String(message));
  }
}
