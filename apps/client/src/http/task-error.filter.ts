import { ArgumentsHost, Catch, ExceptionFilter, type HttpServer } from '@nestjs/common';
import type { Logger } from '../../../app-kit/src';
import {
  FlowNotFoundError,
  InvalidTaskError,
  LayoutMismatchError,
  PayloadTooLargeError,
  ScheduleExistsError,
  ScheduleNotFoundError,
  TaskNotFoundError,
  TaskQueueError,
  TaskStateError,
} from '@shepherd/taskqueue';
import { errorBody } from './error-body';

/** Seconds a client should wait before retrying a transient failure of the queue. */
const RETRY_AFTER_S = 1;

/** The HTTP status of a task-queue error; the first matching class wins (subclasses first). */
const STATUS_BY_ERROR: ReadonlyArray<[abstract new (...args: never[]) => Error, number]> = [
  [PayloadTooLargeError, 413],
  [InvalidTaskError, 400],
  [TaskNotFoundError, 404],
  [TaskStateError, 409],
  [ScheduleNotFoundError, 404],
  [ScheduleExistsError, 409],
  [FlowNotFoundError, 404],
  [LayoutMismatchError, 500],
];

export function statusOfTaskError(err: TaskQueueError): number {
  // Anything else (the client is closing, a task kept changing under an operator action) is
  // transient: 503, try again.
  return STATUS_BY_ERROR.find(([cls]) => err instanceof cls)?.[1] ?? 503;
}

/**
 * The one place where the task queue's errors become HTTP answers: 400 invalid input, 413 a
 * payload over LIMITS.maxPayloadBytes, 404 no such task, 409 the task's state forbids it.
 */
@Catch(TaskQueueError)
export class TaskErrorFilter implements ExceptionFilter<TaskQueueError> {
  constructor(
    private readonly adapter: HttpServer,
    private readonly logger: Logger,
  ) {}

  catch(err: TaskQueueError, host: ArgumentsHost): void {
    const res: unknown = host.switchToHttp().getResponse();
    const status = statusOfTaskError(err);
    if (status >= 500) {
      this.logger.warn({ err }, 'task queue error');
      if (status === 503) this.adapter.setHeader(res, 'Retry-After', String(RETRY_AFTER_S));
    }
    this.adapter.reply(res, errorBody(status, err.message), status);
  }
}
