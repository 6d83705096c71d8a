import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'http';
import { CLIENT_APP_OPTIONS, type ResolvedClientAppOptions } from '../client-app-options';
import { QUERY_TOKEN_ALLOWED } from './api-access';
import { bearerToken, tokensMatch } from './bearer-token';

type Request = IncomingMessage & { query?: Record<string, unknown> };

/**
 * With API_TOKEN set, a request must carry `Authorization: Bearer <API_TOKEN>` (or, on routes
 * marked @AcceptsQueryToken, `?access_token=`). Without API_TOKEN every request passes.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly expected: string | undefined;

  constructor(
    @Inject(CLIENT_APP_OPTIONS) options: ResolvedClientAppOptions,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {
    this.expected = options.env.API_TOKEN;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === undefined) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    let presented = bearerToken(req.headers.authorization);
    if (presented === undefined && this.queryTokenAllowed(context)) {
      const q = req.query?.access_token;
      if (typeof q === 'string' && q.length > 0) presented = q;
    }
    if (presented !== undefined && tokensMatch(presented, this.expected)) return true;
    http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer realm="shepherd"');
    throw new UnauthorizedException(
      presented === undefined
        ? 'missing API token: send the header "Authorization: Bearer <API_TOKEN>"'
        : 'wrong API token',
    );
  }

  private queryTokenAllowed(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN_ALLOWED, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}
