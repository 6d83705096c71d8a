/**
 * What the OpenTelemetry instrumentation costs a task when no SDK is registered: the claim is
 * that it costs nothing measurable, and an end-to-end run cannot show a difference that small
 * against its own noise. So this times, in the benchmark's own process (which registers no
 * SDK), the calls a task makes into the instrumentation on its way, in the order the library
 * makes them, and the table puts the sum next to the CPU a task costs end to end:
 *
 * - submitter (TaskSubmitter): submitterContext, startSendSpan, traceOfSpan, the span kept
 *   until its batch is stored, then ended;
 * - master (Assigner): waitMs, startAssignSpan (none for a record without a trace), endSpan,
 *   TaskMetrics.waited;
 * - worker (TaskRun): startProcessSpan, the clock read for the run metric, withAttempt,
 *   withTraceIds on the "task started" fields, runInSpan around the handler, withTraceIds on
 *   the outcome's fields, the second clock read, TaskMetrics.ran, endSpan.
 *
 * What is timed is CPU time of this process (all its threads, so the garbage collector's work
 * for the objects made counts), median over a few repeats, loop overhead included.
 */
import { Span, context } from '@opentelemetry/api';
import { TaskRecord, newTaskId, newTaskRecord } from '@shepherd/taskqueue';
import { median } from '../common/stats';
// Internal modules of the task queue, imported directly on purpose: the very calls it makes per task.
/* eslint-disable no-restricted-imports */
import {
  endSpan,
  runInSpan,
  startAssignSpan,
  startProcessSpan,
  startSendSpan,
  traceOfSpan,
  waitMs,
  withAttempt,
  withTraceIds,
} from '../../libs/taskqueue/src/telemetry/task-spans';
import { TaskMetrics } from '../../libs/taskqueue/src/telemetry/task-metrics';
import { submitterContext } from '../../libs/taskqueue/src/telemetry/task-trace';
/* eslint-enable no-restricted-imports */

export interface OtelCostSettings {
  /** Tasks per timed loop. */
  iterations: number;
  /** Timed loops per side; the median is reported. */
  repeats: number;
  /** Untimed tasks per side first (JIT). */
  warmup: number;
}

export const OTEL_COST_DEFAULTS: OtelCostSettings = {
  iterations: 1_000_000,
  repeats: 5,
  warmup: 200_000,
};

/** One side's cost: ns per task, CPU and wall clock, medians over the repeats. */
export interface SideCost {
  cpuNs: number;
  wallNs: number;
  /** CPU ns per task of each repeat. */
  cpuNsRuns: number[];
}

export interface OtelCost extends OtelCostSettings {
  submit: SideCost;
  assign: SideCost;
  process: SideCost;
  /** The three sides' medians added up: what one task costs with no SDK. */
  totalCpuNs: number;
  totalWallNs: number;
}

/** Tasks per submit call, as the benchmark submits them: their send spans end together. */
const SUBMIT_BATCH = 1000;
const TYPE = 'noop';
const WORKER_ID = 'worker-1';

/** A task as the throughput runs submit it: type noop, payload {}, no options, no trace. */
function queuedRecord(): TaskRecord {
  const now = Date.now();
  return newTaskRecord(newTaskId(now), TYPE, {}, {}, now);
}

/** What a TaskRun keeps between the calls (a field, as in the library: the span escapes). */
interface RunState {
  span: Span | undefined;
  startedAt: number;
  trace: TaskRecord['trace'];
  result: unknown;
}

function sides(): Record<'submit' | 'assign' | 'process', (i: number) => void> {
  const metrics = new TaskMetrics();
  const queued = queuedRecord();
  const assigned: TaskRecord = { ...queued, attempts: 1 };
  const noOptions = {};
  // Taken once per submit call by TaskSubmitter.submit.
  const parent = context.active();
  const batch: Span[] = [];
  const planned = { waitMs: 0, span: undefined as Span | undefined };
  const run: RunState = { span: undefined, startedAt: 0, trace: undefined, result: undefined };
  // Log fields are built whether or not instrumented: only the calls on them are timed.
  const startedFields = { taskId: assigned.id, attempt: assigned.attempts };
  const outcomeFields = { taskId: assigned.id, state: 'done', verdict: 'committed' };
  const handler = (): null => null;
  return {
    submit: () => {
      const span = startSendSpan(TYPE, queued.id, submitterContext(noOptions, parent));
      batch.push(span);
      const trace = traceOfSpan(span);
      if (trace !== undefined) queued.trace = trace;
      if (batch.length === SUBMIT_BATCH) {
        for (const s of batch) s.end();
        batch.length = 0;
      }
    },
    assign: (i) => {
      const now = queued.updatedAt + i;
      planned.waitMs = waitMs(queued, now);
      planned.span = startAssignSpan(queued, WORKER_ID, now);
      endSpan(planned.span);
      metrics.waited(TYPE, planned.waitMs);
    },
    process: () => {
      const span = startProcessSpan(assigned, WORKER_ID);
      run.span = span;
      run.startedAt = Date.now();
      run.trace = withAttempt(assigned, span);
      withTraceIds(startedFields, span);
      run.result = runInSpan(span, handler);
      withTraceIds(outcomeFields, run.span);
      const ms = Date.now() - run.startedAt;
      metrics.ran(TYPE, ms, 'done');
      run.span = undefined;
      endSpan(span);
    },
  };
}

function timeLoop(
  iterations: number,
  step: (i: number) => void,
): { cpuNs: number; wallNs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) step(i);
  const wall = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { cpuNs: ((cpu.user + cpu.system) * 1000) / iterations, wallNs: wall / iterations };
}

/**
 * Times each side's per-task calls with no SDK registered. Throws if one is: the numbers would
 * then be the SDK's, not the no-ops'.
 */
export function measureOtelCost(settings: OtelCostSettings = OTEL_COST_DEFAULTS): OtelCost {
  const probe = startSendSpan(TYPE, 'probe', context.active());
  probe.end();
  if (probe.isRecording() || traceOfSpan(probe) !== undefined)
    throw new Error('an OpenTelemetry SDK is registered in this process: no-SDK cost not measured');
  const steps = sides();
  const names = ['submit', 'assign', 'process'] as const;
  for (const name of names) for (let i = 0; i < settings.warmup; i++) steps[name](i);
  const runs: Record<(typeof names)[number], { cpuNs: number; wallNs: number }[]> = {
    submit: [],
    assign: [],
    process: [],
  };
  // Interleaved, so a noisy moment on a shared machine does not fall on one side only.
  for (let r = 0; r < settings.repeats; r++)
    for (const name of names) runs[name].push(timeLoop(settings.iterations, steps[name]));
  const side = (name: (typeof names)[number]): SideCost => ({
    cpuNs: median(runs[name].map((x) => x.cpuNs)),
    wallNs: median(runs[name].map((x) => x.wallNs)),
    cpuNsRuns: runs[name].map((x) => x.cpuNs),
  });
  const submit = side('submit');
  const assign = side('assign');
  const processSide = side('process');
  return {
    ...settings,
    submit,
    assign,
    process: processSide,
    totalCpuNs: submit.cpuNs + assign.cpuNs + processSide.cpuNs,
    totalWallNs: submit.wallNs + assign.wallNs + processSide.wallNs,
  };
}
