import { LIMITS } from '../model/limits';

/**
 * Bounds of a flow. A flow is created by one multi (its record and every task), so it must fit
 * LIMITS.maxMultiOps and LIMITS.maxMultiBytes whole: it is never split.
 */
export const FLOW_LIMITS = Object.freeze({
  /** Tasks in one flow. */
  maxTasks: 500,
  /**
   * A task's payload and the results it receives from its dependencies (`dependencies`,
   * `failedDependencies`, as JSON) together: the payload budget, so that the record with its
   * own result still fits a znode. Past it the task ends failed instead of running.
   */
  maxInputBytes: LIMITS.maxPayloadBytes,
  /** A cancel reason kept in the flow record. */
  maxReasonChars: 1024,
});
