import { ArgumentsHost, Catch, HttpException, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { errorBody } from './error-body';

/** What body-parser (via Nest's mapException) leaves as the cause of its errors. */
interface BodyParserError {
  type?: string;
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
