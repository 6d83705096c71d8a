import type { ApiPropertyOptions } from '@nestjs/swagger';

/**
 * OpenAPI 3.0 has no "any" type, and a property typed `unknown` would be documented as an
 * object: payloads and results are any JSON value, so say so.
 */
export const ANY_JSON: ApiPropertyOptions = {
  oneOf: [
    { type: 'object' },
    { type: 'array', items: {} },
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
  ],
  nullable: true,
};
