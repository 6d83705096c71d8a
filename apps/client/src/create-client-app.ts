import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type ClientEnv, type Logger, PinoNestLogger, ensureChroot } from '../../app-kit/src';
import { ClientAppModule } from './client-app.module';
import type { ClientAppOptions } from './client-app-options';
import { CoordinationErrorFilter } from './http/coordination-error.filter';
import { rejectDeepBodies } from './http/body-depth';
import { RequestBodyFilter, keepBodyParserErrors } from './http/request-body.filter';
import { TaskErrorFilter } from './http/task-error.filter';
import { setupOpenApi } from './openapi/openapi';

/**
 * JSON bodies up to this size are parsed: a batch of 1,000 tasks can be large. A single task's
 * payload has its own, smaller limit (LIMITS.maxPayloadBytes, 413 from the core).
 */
export const BODY_LIMIT = '16mb';
const BODY_LIMIT_TEXT = '16 MiB';

/** pino's numeric levels. */
const DEBUG = 20;
const WARN = 40;

/**
 * Nest's own lines at start (every module loaded, every route mapped) are detail: shown at
 * LOG_LEVEL=debug or trace; otherwise only its warnings and errors.
 */
function nestLogger(logger: Logger): Logger {
  const level = logger.levelVal <= DEBUG || logger.levelVal >= WARN ? logger.level : 'warn';
  return logger.child({}, { level });
}

export type CreateClientAppOptions = Omit<ClientAppOptions, 'env'>;

/**
 * Builds the client app from its environment, ready to `listen()` (or `init()` for tests that
 * drive it in-process): the chroot exists and the ZooKeeper session is open when this returns.
 * main.ts and the tests share it, so what is tested is what runs.
 */
export async function createClientApp(
  env: ClientEnv,
  options: CreateClientAppOptions,
): Promise<NestExpressApplication> {
  const { logger } = options;
  await ensureChroot(env);
  const app = await NestFactory.create<NestExpressApplication>(
    ClientAppModule.forRoot({ ...options, env, logger }),
    {
      logger: new PinoNestLogger(nestLogger(logger)),
      // Registered below with a larger limit than express.json's default 100 KB.
      bodyParser: true,
      // Long-lived event streams would otherwise hold app.close() until their clients leave.
      forceCloseConnections: true,
    },
  );
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(keepBodyParserErrors);
  // Before anything recursive (validation, class-transformer) walks the body.
  app.use(rejectDeepBodies);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // One message per bad field, its first problem: the DTOs check the type first, so "3"
      // for a number says "must be an integer", not also "must not be greater than 100".
      stopAtFirstError: true,
    }),
  );
  const adapter = app.getHttpAdapter();
  const retryAfterSeconds = Math.max(1, Math.ceil(env.ZK_SESSION_TIMEOUT_MS / 1000));
  app.useGlobalFilters(
    new RequestBodyFilter(adapter, BODY_LIMIT_TEXT),
    new TaskErrorFilter(adapter, logger),
    new CoordinationErrorFilter(adapter, logger, retryAfterSeconds),
  );
  app.disable('x-powered-by');
  setupOpenApi(app);
  return app;
}
