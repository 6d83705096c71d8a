import { type ArgumentsHost, BadRequestException, type HttpServer } from '@nestjs/common';
import { createLogger } from '../../apps/app-kit/src';
import { ConnectTimeoutError } from '@shepherd/coordination';
import {
  InvalidTaskError,
  LayoutMismatchError,
  PayloadTooLargeError,
  TaskNotFoundError,
  TaskQueueError,
  TaskStateError,
  type TaskView,
  nestsDeeperThan,
} from '@shepherd/taskqueue';
import { ConnectionLossError, SessionExpiredError } from '@shepherd/zk-protocol';
import { bearerToken, tokensMatch } from '../../apps/client/src/http/bearer-token';
import { MAX_BODY_DEPTH, rejectDeepBodies } from '../../apps/client/src/http/body-depth';
import { CoordinationErrorFilter } from '../../apps/client/src/http/coordination-error.filter';
import { CoordinationUnavailableError } from '../../apps/client/src/http/coordination-unavailable';
import { TaskErrorFilter, statusOfTaskError } from '../../apps/client/src/http/task-error.filter';
import { toTaskResponse } from '../../apps/client/src/tasks/task-representation';

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

describe('body nesting depth', () => {
  it('counts levels of arrays and objects, the body itself as the first', () => {
    expect(nestsDeeperThan('x'.repeat(1000), 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan([], 0)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: null }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: null }] }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: {} }] }, 3)).toBe(true);
    expect(nestsDeeperThan([[], [[[]]], {}], 3)).toBe(true);
  });

  it('walks any depth without recursion', () => {
    let deep: unknown = null;
    for (let i = 0; i < 1_000_000; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(nestsDeeperThan(deep, MAX_BODY_DEPTH)).toBe(true);
    expect(nestsDeeperThan(deep, 1_000_000)).toBe(false);
  });

  it('refuses a body deeper than MAX_BODY_DEPTH with a 400 before anything else sees it', () => {
    const nested = (levels: number) => {
      let v: unknown = [];
      for (let i = 1; i < levels; i++) v = [v];
      return v;
    };
    const passed: unknown[] = [];
    rejectDeepBodies({ body: nested(MAX_BODY_DEPTH) }, {}, (err) => passed.push(err));
    rejectDeepBodies({ body: nested(MAX_BODY_DEPTH + 1) }, {}, (err) => passed.push(err));
    rejectDeepBodies({}, {}, (err) => passed.push(err));
    expect(passed).toHaveLength(3);
    expect(passed[0]).toBeUndefined();
    expect(passed[1]).toBeInstanceOf(BadRequestException);
    expect((passed[1] as BadRequestException).getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'request body is nested deeper than 100 levels',
    });
    expect(passed[2]).toBeUndefined();
  });
});

describe('the task representation', () => {
  const view = (error: TaskView['error']): TaskView => ({
    id: 'task-x',
    type: 'echo',
    state: 'dead',
    attempts: 1,
    maxAttempts: 1,
    priority: 0,
    history: [],
    payload: null,
    createdAt: 0,
    updatedAt: 0,
    error,
  });

  it("answers an error's name and message, and its stack only when one was stored", () => {
    expect(toTaskResponse(view({ name: 'Error', message: 'boom' })).error).toEqual({
      name: 'Error',
      message: 'boom',
    });
    const stored = { name: 'Error', message: 'boom', stack: 'Error: boom\n    at x' };
    expect(toTaskResponse(view(stored)).error).toEqual(stored);
    const odd = { message: 'boom', extra: 1 } as TaskView['error'];
    expect(toTaskResponse(view(odd)).error).toEqual({ message: 'boom' });
  });
});
