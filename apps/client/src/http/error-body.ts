import { STATUS_CODES } from 'http';

/** The JSON every error answer has: the shape Nest's own exceptions and ValidationPipe use. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

export function errorBody(statusCode: number, message: string | string[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}
