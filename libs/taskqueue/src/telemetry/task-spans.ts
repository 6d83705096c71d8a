import {
  Attributes,
  Context,
  INVALID_SPAN_CONTEXT,
  Link,
  ROOT_CONTEXT,
  Span,
  SpanContext,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { TaskRecord, TaskTrace, toTaskError } from '../model/task-record';
import {
  ATTR,
  INSTRUMENTATION_SCOPE,
  INSTRUMENTATION_VERSION,
  MESSAGING_SYSTEM,
} from './messaging-attributes';
import { formatTraceparent, parseTraceparent, traceFlagsHex } from './traceparent';

/**
 * One trace per task. The spans, as the OpenTelemetry messaging conventions lay them out:
 *
 *   send <type>        PRODUCER  the submitter (client, REST API), child of its active context
 *   ├ assign <type>    INTERNAL  the master: wait in queue, worker chosen
 *   ├ process <type>   CONSUMER  the worker, one per attempt, linked to the attempt before;
 *   │                            the handler runs inside it, so its own spans nest under it
 *   └ reassign <type>  INTERNAL  the master, after the worker holding it was lost
 *
 * The task record carries the send span's context (TaskRecord.trace, W3C Trace Context), so a
 * master and workers in other processes continue it. A schedule's fire and a flow start their
 * own span, which the task's spans continue instead.
 *
 * With no OpenTelemetry SDK registered every span here is the API's non-recording span: no
 * context is captured, nothing is added to the record, and attributes are not even built
 * (isRecording() is checked first).
 *
 * The tracer is the API's proxy, so an SDK registered after this module loads is used.
 *
 * Telemetry never fails a task: every function here catches what an SDK (or a span processor
 * of the application's) throws, and the task goes on with a non-recording span, or none.
 */
const tracer = trace.getTracer(INSTRUMENTATION_SCOPE, INSTRUMENTATION_VERSION);

/** What a span that could not be made is: the API's own non-recording span. */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Whether a span context names a trace. With no SDK the API's spans carry the one
 * INVALID_SPAN_CONTEXT object: checked by identity first, since this runs several times per
 * task and the full check (two regular expressions) was most of what a task pays without an
 * SDK (bench:throughput's no-SDK table).
 */
function hasTrace(c: SpanContext | undefined): c is SpanContext {
  return c !== undefined && c !== INVALID_SPAN_CONTEXT && isSpanContextValid(c);
}

/** The context a task's spans continue: its submitter's, as a remote parent. */
export function taskContext(taskTrace: TaskTrace | undefined): Context {
  const parent = parseTraceparent(taskTrace?.traceparent, taskTrace?.tracestate);
  return parent === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, parent);
}

/** What a record carries for the spans that follow `span`; undefined when there is no trace. */
export function traceOfSpan(span: Span): TaskTrace | undefined {
  const spanContext = span.spanContext();
  if (!hasTrace(spanContext)) return undefined;
  const traceparent = formatTraceparent(spanContext);
  if (traceparent === undefined) return undefined;
  const out: TaskTrace = { traceparent };
  const tracestate = spanContext.traceState?.serialize();
  if (tracestate) out.tracestate = tracestate;
  return out;
}

/** The submit span of one task: a child of `parent` (the submitter's context). */
export function startSendSpan(
  type: string,
  id: string,
  parent: Context,
  extra?: { flow?: string },
): Span {
  try {
    const span = tracer.startSpan(`send ${type}`, { kind: SpanKind.PRODUCER }, parent);
    if (span.isRecording()) {
      span.setAttributes(messaging('send', type, id));
      if (extra?.flow !== undefined) span.setAttribute(ATTR.flow, extra.flow);
    }
    return span;
  } catch {
    return NO_SPAN;
  }
}

/**
 * A send span whose task is another: `duplicate` when an earlier task with the same
 * idempotency key answered the submission (that task keeps its own trace).
 */
export function renameMessage(span: Span, id: string, duplicate: boolean): void {
  try {
    if (!span.isRecording()) return;
    span.setAttribute(ATTR.messageId, id);
    if (duplicate) span.setAttribute(ATTR.duplicate, true);
  } catch {
    // Telemetry never fails a submission.
  }
}

/** The span a flow's submission makes: every task of the flow continues it. */
export function startFlowSpan(flowId: string, tasks: number, parent: Context): Span {
  try {
    const span = tracer.startSpan('send flow', { kind: SpanKind.PRODUCER }, parent);
    if (span.isRecording())
      span.setAttributes({
        [ATTR.system]: MESSAGING_SYSTEM,
        [ATTR.operationType]: 'send',
        [ATTR.operationName]: 'send',
        [ATTR.flow]: flowId,
        [ATTR.batchCount]: tasks,
      });
    return span;
  } catch {
    return NO_SPAN;
  }
}

/**
 * A schedule's fire: a root span (a fire is not caused by any request), PRODUCER, that the
 * task it makes continues.
 */
export function startFireSpan(schedule: string, type: string, id: string, at: number): Span {
  try {
    const span = tracer.startSpan(
      `fire ${schedule}`,
      { kind: SpanKind.PRODUCER, root: true },
      ROOT_CONTEXT,
    );
    if (span.isRecording())
      span.setAttributes({
        ...messaging('send', type, id),
        [ATTR.schedule]: schedule,
        [ATTR.scheduledFor]: new Date(at).toISOString(),
      });
    return span;
  } catch {
    return NO_SPAN;
  }
}

/** A fire span whose task was not created (another leader fired it, or the schedule changed). */
export function markNotFired(span: Span): void {
  try {
    if (span.isRecording()) span.setAttribute(ATTR.fired, false);
  } catch {
    // Telemetry never fails a schedule.
  }
}

/**
 * The master's assignment of a traced task: from the decision to the commit. Untraced tasks
 * get no master span (it would be a root span of its own, with nothing to join).
 */
export function startAssignSpan(
  record: TaskRecord,
  workerId: string,
  now: number,
): Span | undefined {
  if (record.trace === undefined) return undefined;
  try {
    const span = tracer.startSpan(
      `assign ${record.type}`,
      { kind: SpanKind.INTERNAL },
      taskContext(record.trace),
    );
    if (span.isRecording())
      span.setAttributes({
        ...messaging('assign', record.type, record.id),
        [ATTR.worker]: workerId,
        [ATTR.attempt]: record.attempts + 1,
        [ATTR.waitMs]: waitMs(record, now),
      });
    return span;
  } catch {
    return undefined;
  }
}

/**
 * Ends an assignment's span with what became of it: `assigned`, `refused` (the task moved or
 * the worker went meanwhile: a race the master handles, not an error) or `unknown` (the
 * connection was lost; the master reads it back).
 */
export function endAssignSpan(
  span: Span | undefined,
  outcome: 'assigned' | 'refused' | 'unknown',
  reason?: string,
): void {
  if (span === undefined) return;
  try {
    if (span.isRecording()) {
      span.setAttribute(ATTR.assignOutcome, outcome);
      if (reason !== undefined) span.setAttribute(ATTR.assignRefusal, reason);
    }
    span.end();
  } catch {
    // Telemetry never fails an assignment.
  }
}

/** How long a queued record has waited to be assigned: since it was queued or became due. */
export function waitMs(record: TaskRecord, now: number): number {
  return Math.max(0, now - Math.max(record.updatedAt, record.notBefore ?? 0));
}

/**
 * One attempt on a worker: CONSUMER, a child of the task's context (a root span when the task
 * has none, as the conventions ask of a consumer), linked to the previous attempt's span.
 */
export function startProcessSpan(record: TaskRecord, workerId: string): Span {
  try {
    const links = attemptLinks(record.trace);
    const span = tracer.startSpan(
      `process ${record.type}`,
      { kind: SpanKind.CONSUMER, links },
      taskContext(record.trace),
    );
    if (span.isRecording()) {
      span.setAttributes({
        ...messaging('process', record.type, record.id),
        [ATTR.worker]: workerId,
        [ATTR.attempt]: record.attempts,
        [ATTR.maxAttempts]: record.options.maxAttempts,
      });
      if (record.options.group !== undefined) span.setAttribute(ATTR.group, record.options.group);
    }
    return span;
  } catch {
    return NO_SPAN;
  }
}

/**
 * What an attempt links to: the attempt before it, and a flow task's dependencies' last
 * attempts (the flow's edges), each saying which it is.
 */
function attemptLinks(taskTrace: TaskTrace | undefined): Link[] | undefined {
  if (taskTrace === undefined) return undefined;
  const links: Link[] = [];
  const previous = parseTraceparent(taskTrace.lastAttempt);
  if (previous !== undefined)
    links.push({ context: previous, attributes: { [ATTR.linkKind]: 'previous attempt' } });
  for (const dependency of taskTrace.dependencies ?? []) {
    const context = parseTraceparent(dependency);
    if (context !== undefined)
      links.push({ context, attributes: { [ATTR.linkKind]: 'dependency' } });
  }
  return links.length > 0 ? links : undefined;
}

/**
 * The record's trace with `span` as its latest attempt, for the next attempt's link; the same
 * trace when the span is not recorded.
 */
export function withAttempt(record: TaskRecord, span: Span): TaskTrace | undefined {
  try {
    if (record.trace === undefined || !span.isRecording()) return record.trace;
    const lastAttempt = formatTraceparent(span.spanContext());
    return lastAttempt === undefined ? record.trace : { ...record.trace, lastAttempt };
  } catch {
    return record.trace;
  }
}

/**
 * The master recovered a task from a lost worker (`recovered`: the record it wrote): a short
 * span on the task's trace with the loss as its event, linked to the attempt that was lost
 * (whose own span never ended). `reassign <type>` when the task was queued again; `dead <type>`,
 * an error, when that attempt was its last.
 */
export function recordReassign(recovered: TaskRecord, workerId: string, reason: string): void {
  if (recovered.trace === undefined) return;
  try {
    const dead = recovered.state === 'dead';
    const lost = parseTraceparent(recovered.trace.lastAttempt);
    const span = tracer.startSpan(
      `${dead ? 'dead' : 'reassign'} ${recovered.type}`,
      { kind: SpanKind.INTERNAL, links: lost === undefined ? undefined : [{ context: lost }] },
      taskContext(recovered.trace),
    );
    if (span.isRecording()) {
      span.setAttributes({
        ...messaging(dead ? 'dead' : 'reassign', recovered.type, recovered.id),
        [ATTR.lostWorker]: workerId,
        [ATTR.reason]: reason,
        [ATTR.attempt]: recovered.attempts,
        [ATTR.outcome]: dead ? 'dead' : 'queued',
      });
      span.addEvent(reason, { [ATTR.worker]: workerId, [ATTR.attempt]: recovered.attempts });
      if (dead)
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: `${reason} on its last attempt (${recovered.attempts} of ${recovered.options.maxAttempts})`,
        });
    }
    span.end();
  } catch {
    // Telemetry never fails a recovery.
  }
}

/** Ends `span`, as an error when `error` is given (the exception recorded on it). */
export function endSpan(span: Span | undefined, error?: unknown, message?: string): void {
  if (span === undefined) return;
  try {
    if (error !== undefined && span.isRecording()) {
      if (error instanceof Error) span.recordException(error);
      // toTaskError's message: safe for anything thrown (a null-prototype object, a cycle).
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: message ?? toTaskError(error).message,
      });
    }
    span.end();
  } catch {
    // Telemetry never fails a task.
  }
}

/** Runs `fn` with `span` as the active span (for the handler's own spans and log lines). */
export function runInSpan<T>(span: Span, fn: () => T): T {
  if (!hasTrace(span.spanContext())) return fn();
  // On the root context, not the active one: whatever was active where the worker's
  // connection was made (its callbacks keep it) is not the task's.
  return context.with(trace.setSpan(ROOT_CONTEXT, span), fn);
}

/**
 * A log line's fields with the trace and span ids of `span` added (`trace_id`, `span_id`,
 * `trace_flags`: the names of the OpenTelemetry log data model and of its pino instrumentation).
 */
export function withTraceIds<T extends object>(fields: T, span: Span | undefined): T {
  const c = span?.spanContext();
  if (!hasTrace(c)) return fields;
  const out = fields as T & { trace_id?: string; span_id?: string; trace_flags?: string };
  out.trace_id = c.traceId;
  out.span_id = c.spanId;
  out.trace_flags = traceFlagsHex(c.traceFlags);
  return out;
}

/**
 * A log line's fields with the ids of the task's trace (and of the span that submitted it),
 * for lines about a task written outside any span of its own.
 */
export function withRecordTraceIds<T extends object>(fields: T, record: TaskRecord): T {
  const submitted = parseTraceparent(record.trace?.traceparent);
  return submitted === undefined ? fields : withTraceIds(fields, trace.wrapSpanContext(submitted));
}

/**
 * The messaging attributes of a span. `messaging.operation.type` only where one of the
 * conventions' types fits (send, process): assigning and reassigning are Shepherd's own.
 */
function messaging(operation: string, type: string, id: string): Attributes {
  const attributes: Attributes = {
    [ATTR.system]: MESSAGING_SYSTEM,
    [ATTR.operationName]: operation,
    [ATTR.destination]: type,
    [ATTR.messageId]: id,
  };
  if (operation === 'send' || operation === 'process') attributes[ATTR.operationType] = operation;
  return attributes;
}
