import { ArgumentsHost, Catch, HttpException, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { errorBody } from './error-body';

/** What body-parser leaves as the cause of its errors (an http-error with a `type`). */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
  message?: string;
}

/**
 * Express error middleware, registered right after the body parser: hands body-parser's errors
 * on as an HttpException that keeps them as its cause. Nest 11 would otherwise turn a JSON
 * SyntaxError into a bare BadRequestException, losing the `type` the filter below reads.
 */
export function keepBodyParserErrors(
  err: unknown,
  _req: unknown,
  _res: unknown,
  next: (err?: unknown) => void,
): void {
  const raw = err as BodyParserError | null;
  if (
    raw &&
    typeof raw === 'object' &&
    typeof raw.type === 'string' &&
    typeof raw.status === 'number'
  )
    next(new HttpException(raw.message ?? 'bad request body', raw.status, { cause: raw }));
  else next(err);
}

/**
 * Rewords body-parser's answers, which Nest passes on as they are ("request entity too large",
 * a bare JSON.parse message): they reach no handler, so they should say what was wrong with the
 * request. Every other HttpException gets Nest's usual answer.
 */
@Catch(HttpException)
export class RequestBodyFilter extends BaseExceptionFilter {
  constructor(
    private readonly adapter: HttpServer,
    private readonly bodyLimit: string,
  ) {
    super(adapter);
  }

  override catch(exception: HttpException, host: ArgumentsHost): void {
    const type = (exception.cause as BodyParserError | undefined)?.type;
    const message =
      type === 'entity.too.large'
        ? `request body is larger than the ${this.bodyLimit} limit`
        : type === 'entity.parse.failed'
          ? `malformed JSON body: ${exception.message}`
          : undefined;
    if (message === undefined) {
      super.catch(exception, host);
      return;
    }
    const status = exception.getStatus();
    this.adapter.reply(host.switchToHttp().getResponse(), errorBody(status, message), status);
  }
}
