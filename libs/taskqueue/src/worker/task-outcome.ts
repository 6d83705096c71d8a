import { NonRetryableError } from '../errors';
import { LIMITS } from '../model/limits';
import { TaskRecord, toTaskError } from '../model/task-record';
import { FailureKind, completeTransition, failTransition } from '../transitions/finish';
import { handBackTransition } from '../transitions/give-back';
import { Transition, TransitionContext } from '../transitions/transition';
import { ResultNotStorableError, TaskAbortKind, TaskTimeoutError } from './task-abort';

/** How a handler's run ended, as the worker saw it. */
export type HandlerOutcome =
  | { kind: 'returned'; value: unknown }
  | { kind: 'threw'; error: unknown }
  | { kind: 'aborted'; abort: TaskAbortKind; reason: unknown };

/** The result as it will be stored: JSON, within LIMITS.maxResultBytes. */
export function storableResult(value: unknown): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value === undefined ? null : value);
  } catch (err) {
    throw new ResultNotStorableError(
      `the result is not JSON-serializable: ${(err as Error).message}`,
    );
  }
  if (json === undefined) throw new ResultNotStorableError('the result is not JSON-serializable');
  const bytes = Buffer.byteLength(json);
  if (bytes > LIMITS.maxResultBytes)
    throw new ResultNotStorableError(
      `the result is ${bytes} bytes; the limit is ${LIMITS.maxResultBytes} bytes`,
    );
  return JSON.parse(json) as unknown;
}

/** What the worker decides for every outcome it records. */
export interface OutcomeOptions {
  /** Store the error's stack in the record (WorkerOptions.storeErrorStacks; default false). */
  storeErrorStacks?: boolean;
}

function isNonRetryable(error: unknown): boolean {
  // By name too: a handler may load its own copy of the class.
  return (
    error instanceof NonRetryableError ||
    (error instanceof Error && error.name === 'NonRetryableError')
  );
}

/**
 * The transition that records an outcome, or undefined when nothing may be written (the task
 * was revoked, or the session that held it ended). Pure: the caller commits it.
 *
 * A result that cannot be stored (not JSON, or over LIMITS.maxResultBytes) fails the task at
 * once, as a NonRetryableError does: the handler would return the same on every attempt.
 */
export function outcomeTransition(
  ctx: TransitionContext,
  record: TaskRecord,
  assignVersion: number,
  outcome: HandlerOutcome,
  options: OutcomeOptions = {},
): Transition | undefined {
  const fail = (error: unknown, kind: FailureKind = {}) =>
    failTransition(
      ctx,
      record,
      assignVersion,
      toTaskError(error, options.storeErrorStacks ?? false),
      kind,
    );
  switch (outcome.kind) {
    case 'returned': {
      let result: unknown;
      try {
        result = storableResult(outcome.value);
      } catch (err) {
        return fail(err, { nonRetryable: err instanceof ResultNotStorableError });
      }
      return completeTransition(ctx, record, assignVersion, result);
    }
    case 'threw':
      return fail(outcome.error, { nonRetryable: isNonRetryable(outcome.error) });
    case 'aborted':
      switch (outcome.abort) {
        case 'timeout':
          return fail(
            outcome.reason instanceof TaskTimeoutError
              ? outcome.reason
              : new TaskTimeoutError(record.options.timeoutMs ?? 0),
            { timedOut: true },
          );
        case 'shutdown':
          return handBackTransition(ctx, record, assignVersion);
        default:
          return undefined;
      }
  }
}
