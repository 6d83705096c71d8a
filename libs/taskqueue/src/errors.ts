/** Errors of the task queue, one class per case a caller handles differently. */
export class TaskQueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request itself is wrong (the REST edge maps it to 400). */
export class InvalidTaskError extends TaskQueueError {}

/** The payload is over LIMITS.maxPayloadBytes (413 at the REST edge). */
export class PayloadTooLargeError extends InvalidTaskError {}

/** No such task in any area (404). */
export class TaskNotFoundError extends TaskQueueError {
  constructor(readonly id: string) {
    super(`task ${id} not found`);
  }
}

/** No such flow (404). */
export class FlowNotFoundError extends TaskQueueError {
  constructor(readonly id: string) {
    super(`flow ${id} not found`);
  }
}

/** The task's state does not allow the operation, e.g. cancelling a finished task (409). */
export class TaskStateError extends TaskQueueError {
  constructor(
    readonly id: string,
    readonly state: string,
    operation: string,
  ) {
    super(`cannot ${operation} task ${id}: it is ${state}`);
  }
}

/** `wait` gave up before the task reached a terminal state. */
export class WaitTimeoutError extends TaskQueueError {
  constructor(
    readonly id: string,
    readonly timeoutMs: number,
  ) {
    super(`task ${id} did not finish within ${timeoutMs} ms`);
  }
}

/** The znode tree under the chroot was laid out by an incompatible version. */
export class LayoutMismatchError extends TaskQueueError {}

/**
 * Thrown by a handler to fail the task at once, without further attempts (BullMQ calls this
 * UnrecoverableError). The task ends `failed`, not `dead`.
 */
export class NonRetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NonRetryableError';
  }
}
