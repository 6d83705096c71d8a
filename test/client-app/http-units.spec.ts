import type { ArgumentsHost, HttpServer } from '@nestjs/common';
import { createLogger } from '../../apps/app-kit/src';
import { ConnectTimeoutError } from '@shepherd/coordination';
import {
  InvalidTaskError,
  LayoutMismatchError,
  PayloadTooLargeError,
  TaskNotFoundError,
  TaskQueueError,
  TaskStateError,
} from '@shepherd/taskqueue';
import { ConnectionLossError, SessionExpiredError } from '@shepherd/zk-protocol';
import { bearerToken, tokensMatch } from '../../apps/client/src/http/bearer-token';
import { CoordinationErrorFilter } from '../../apps/client/src/http/coordination-error.filter';
import { CoordinationUnavailableError } from '../../apps/client/src/http/coordination-unavailable';
import { TaskErrorFilter, statusOfTaskError } from '../../apps/client/src/http/task-error.filter';

/** Records what a filter answers, as the HTTP adapter would send it. */
function fakeAdapter() {
  const sent = { status: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const adapter = {
    reply: (_res: unknown, body: unknown, status: number) => Object.assign(sent, { body, status }),
    setHeader: (_res: unknown, name: string, value: string) => (sent.headers[name] = value),
  } as unknown as HttpServer;
  const host = { switchToHttp: () => ({ getResponse: () => ({}) }) } as unknown as ArgumentsHost;
  return { adapter, host, sent };
}

const logger = createLogger('test', 'silent');

describe('TaskErrorFilter', () => {
  it.each([
    [new PayloadTooLargeError('too big'), 413],
    [new InvalidTaskError('bad'), 400],
    [new TaskNotFoundError('task-x'), 404],
    [new TaskStateError('task-x', 'done', 'cancel'), 409],
    [new LayoutMismatchError('other layout'), 500],
    [new TaskQueueError('the TaskQueueClient is closed'), 503],
  ])('%s -> %i', (err, status) => {
    expect(statusOfTaskError(err)).toBe(status);
    const { adapter, host, sent } = fakeAdapter();
    new TaskErrorFilter(adapter, logger).catch(err, host);
    expect(sent.status).toBe(status);
    expect(sent.body).toEqual({
      statusCode: status,
      error: expect.any(String),
      message: err.message,
    });
    expect(sent.headers['Retry-After']).toBe(status === 503 ? '1' : undefined);
  });
});

describe('CoordinationErrorFilter', () => {
  it.each([
    new ConnectionLossError(),
    new SessionExpiredError(),
    new ConnectTimeoutError('127.0.0.1:2181', 5000),
  ])('answers %s with 503 and Retry-After', (err) => {
    const { adapter, host, sent } = fakeAdapter();
    new CoordinationErrorFilter(adapter, logger, 5).catch(err, host);
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('5');
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(/^the coordination service \(ZooKeeper\) is unreachable: /),
    });
  });

  it("answers the guard's refusal with its own message", () => {
    const { adapter, host, sent } = fakeAdapter();
    new CoordinationErrorFilter(adapter, logger, 3).catch(new CoordinationUnavailableError(), host);
    expect(sent).toMatchObject({ status: 503, headers: { 'Retry-After': '3' } });
  });
});

describe('bearer tokens', () => {
  it('reads the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer a'])).toBeUndefined();
  });

  it('compares tokens of any lengths', () => {
    expect(tokensMatch('secret-token', 'secret-token')).toBe(true);
    expect(tokensMatch('secret-token', 'secret-tokem')).toBe(false);
    expect(tokensMatch('secret', 'secret-token')).toBe(false);
    expect(tokensMatch('', 'secret-token')).toBe(false);
  });
});
