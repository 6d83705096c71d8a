import { ArgumentsHost, Catch, ExceptionFilter, type HttpServer } from '@nestjs/common';
import type { Logger } from '../../../app-kit/src';
import { ConnectTimeoutError, ConnectionClosedError } from '@shepherd/coordination';
import {
  ConnectionLossError,
  OperationTimeoutError,
  RequestTimeoutError,
  SessionExpiredError,
} from '@shepherd/zk-protocol';
import { CoordinationUnavailableError } from './coordination-unavailable';
import { errorBody } from './error-body';

/**
 * 503 with Retry-After for everything that means "ZooKeeper cannot be reached right now": the
 * guard's refusal while disconnected, and the errors of a request that was under way when the
 * connection went (ConnectionLoss, OperationTimeout), or whose session ended (SessionExpired:
 * the connection opens a new one by itself).
 */
@Catch(
  CoordinationUnavailableError,
  ConnectionLossError,
  OperationTimeoutError,
  RequestTimeoutError,
  SessionExpiredError,
  ConnectTimeoutError,
  ConnectionClosedError,
)
export class CoordinationErrorFilter implements ExceptionFilter<Error> {
  constructor(
    private readonly adapter: HttpServer,
    private readonly logger: Logger,
    /** About one session timeout: by then the session is back, or a new one is. */
    private readonly retryAfterSeconds: number,
  ) {}

  catch(err: Error, host: ArgumentsHost): void {
    const res: unknown = host.switchToHttp().getResponse();
    if (!(err instanceof CoordinationUnavailableError))
      this.logger.warn({ err }, 'ZooKeeper request failed');
    const message =
      err instanceof CoordinationUnavailableError
        ? err.message
        : `the coordination service (ZooKeeper) is unreachable: ${err.message}`;
    this.adapter.setHeader(res, 'Retry-After', String(this.retryAfterSeconds));
    this.adapter.reply(res, errorBody(503, message), 503);
  }
}
