import { InvalidTaskError } from '../errors';
import { TASK_TYPE_PATTERN, TASK_TYPE_RULE } from '../model/limits';
import { SubmitOptions } from '../model/submit-options';
import { DEPENDENCY_FAILURE_POLICIES, DependencyFailurePolicy } from './flow-record';
import { FLOW_LIMITS } from './flow-limits';

/**
 * One task of a flow: a key naming it within the flow (same pattern as task types), its type
 * and payload, the keys it depends on, and the usual submit options (no idempotencyKey: the
 * flow is created whole or not at all).
 */
export interface FlowTaskSpec extends Omit<SubmitOptions, 'idempotencyKey'> {
  key: string;
  type: string;
  payload?: unknown;
  /** Keys of the tasks of the same flow that must end done before this one starts. */
  dependsOn?: string[];
}

export interface FlowSpec {
  tasks: FlowTaskSpec[];
  /**
   * When a dependency ends dead, failed or cancelled: 'cancel' (default) cancels its dependents,
   * transitively; 'run' runs them anyway once all their dependencies have ended, with the
   * failed ones in `failedDependencies`.
   */
  onDependencyFailure?: DependencyFailurePolicy;
  /**
   * The W3C `traceparent` the flow's trace continues, when the submitter's active
   * OpenTelemetry context is not the one (as SubmitOptions.traceparent).
   */
  traceparent?: string;
  /** The W3C `tracestate` that goes with `traceparent`. */
  tracestate?: string;
}

/** A flow task after the structural checks: its options split off, its dependencies unique. */
export interface CheckedFlowTask {
  key: string;
  type: string;
  payload: unknown;
  options: SubmitOptions;
  dependsOn: string[];
}

export interface CheckedFlowSpec {
  tasks: CheckedFlowTask[];
  onDependencyFailure: DependencyFailurePolicy;
}

/**
 * Checks a flow's shape and graph: 1 to FLOW_LIMITS.maxTasks tasks, keys valid and unique,
 * every dependency a key of the flow and not the task itself, no cycle. The tasks' types,
 * payloads and options are checked when their records are made (validateSubmission).
 * InvalidTaskError says what is wrong, naming the task.
 */
export function checkFlowSpec(spec: unknown): CheckedFlowSpec {
  if (spec === null || typeof spec !== 'object')
    throw new InvalidTaskError('a flow must be an object { tasks, onDependencyFailure? }');
  const { tasks, onDependencyFailure } = spec as Partial<FlowSpec>;
  if (
    onDependencyFailure !== undefined &&
    !DEPENDENCY_FAILURE_POLICIES.includes(onDependencyFailure)
  )
    throw new InvalidTaskError(
      `onDependencyFailure must be one of: ${DEPENDENCY_FAILURE_POLICIES.join(', ')}`,
    );
  if (!Array.isArray(tasks) || tasks.length === 0 || tasks.length > FLOW_LIMITS.maxTasks)
    throw new InvalidTaskError(`tasks must be an array of 1 to ${FLOW_LIMITS.maxTasks} tasks`);
  const checked: CheckedFlowTask[] = [];
  const keys = new Set<string>();
  tasks.forEach((task: unknown, i) => {
    if (task === null || typeof task !== 'object')
      throw new InvalidTaskError(`tasks[${i}] must be an object { key, type, payload?, ... }`);
    const { key, type, payload, dependsOn, ...rest } = task as FlowTaskSpec & {
      idempotencyKey?: unknown;
    };
    const { idempotencyKey, ...options } = rest;
    if (typeof key !== 'string' || !TASK_TYPE_PATTERN.test(key))
      throw new InvalidTaskError(`tasks[${i}].key must match ${TASK_TYPE_RULE}`);
    if (keys.has(key)) throw new InvalidTaskError(`tasks[${i}]: duplicate key "${key}"`);
    keys.add(key);
    if (idempotencyKey !== undefined)
      throw new InvalidTaskError(`tasks[${i}] (${key}): idempotencyKey is not supported in a flow`);
    if (
      dependsOn !== undefined &&
      (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))
    )
      throw new InvalidTaskError(`tasks[${i}] (${key}): dependsOn must be an array of keys`);
    checked.push({ key, type, payload, options, dependsOn: [...new Set(dependsOn ?? [])] });
  });
  checked.forEach((task, i) => {
    for (const dep of task.dependsOn) {
      if (dep === task.key)
        throw new InvalidTaskError(`tasks[${i}] (${task.key}) depends on itself`);
      if (!keys.has(dep))
        throw new InvalidTaskError(`tasks[${i}] (${task.key}) depends on unknown key "${dep}"`);
    }
  });
  const cycle = findCycle(checked);
  if (cycle !== undefined)
    throw new InvalidTaskError(`the flow has a dependency cycle: ${cycle.join(' -> ')}`);
  return { tasks: checked, onDependencyFailure: onDependencyFailure ?? 'cancel' };
}

/**
 * A cycle of the dependency graph as a list of keys (the first repeated at the end), or
 * undefined when it is a DAG. Iterative depth-first search: a 500-task chain does not recurse.
 */
export function findCycle(tasks: readonly { key: string; dependsOn: string[] }[]) {
  const deps = new Map(tasks.map((t) => [t.key, t.dependsOn]));
  const state = new Map<string, 'open' | 'closed'>();
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    const stack: { key: string; next: number }[] = [{ key: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const list = deps.get(top.key) ?? [];
      if (top.next >= list.length) {
        state.set(top.key, 'closed');
        stack.pop();
        continue;
      }
      const dep = list[top.next++];
      const seen = state.get(dep);
      if (seen === 'open') {
        const from = stack.findIndex((f) => f.key === dep);
        return [...stack.slice(from).map((f) => f.key), dep];
      }
      if (seen === undefined) {
        state.set(dep, 'open');
        stack.push({ key: dep, next: 0 });
      }
    }
  }
  return undefined;
}
