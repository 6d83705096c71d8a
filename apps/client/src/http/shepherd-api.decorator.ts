import { UseGuards, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiTokenGuard } from './api-token.guard';
import { CoordinationGuard } from './coordination.guard';

export interface ShepherdApiOptions {
  /** Answer 503 while ZooKeeper is unreachable (default true). */
  needsCoordination?: boolean;
}

/**
 * Marks a controller as part of the protected API: the API token first (401), then the
 * coordination service's availability (503). Applied per controller, not globally, so what
 * holds no data stays open: /health, the API docs, the dashboard's static files.
 */
export function ShepherdApi(options: ShepherdApiOptions = {}) {
  const needsCoordination = options.needsCoordination ?? true;
  return applyDecorators(
    ...(needsCoordination
      ? [
          UseGuards(ApiTokenGuard, CoordinationGuard),
          ApiServiceUnavailableResponse({
            description: 'ZooKeeper is unreachable; the Retry-After header says when to retry',
          }),
        ]
      : [UseGuards(ApiTokenGuard)]),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'API_TOKEN is set and the bearer token is missing or wrong',
    }),
  );
}
