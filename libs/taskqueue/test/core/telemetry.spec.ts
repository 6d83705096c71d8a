import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import {
  formatTraceparent,
  newTaskRecord,
  parseTraceparent,
  submitterContext,
  taskContext,
  validateSubmission,
  withTraceIds,
} from '@shepherd/taskqueue';

// The examples of W3C Trace Context Level 1, §3.2 and its test suite's edge cases.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const SAMPLED = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('traceparent (W3C Trace Context)', () => {
  it('reads the spec example, sampled or not, as a remote span context', () => {
    expect(parseTraceparent(SAMPLED)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.traceFlags).toBe(TraceFlags.NONE);
    expect(parseTraceparent(SAMPLED, 'rojo=00f067aa0ba902b7')?.traceState?.get('rojo')).toBe(
      '00f067aa0ba902b7',
    );
  });

  it.each([
    ['uppercase hex', SAMPLED.toUpperCase()],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['version 00 with more fields', `${SAMPLED}-extra`],
    ['not a string', 42],
    ['empty', ''],
  ])('refuses %s', (_name, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('reads a later version for its first four fields (§3.2.4)', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-01-what-comes-next`)?.spanId).toBe(SPAN_ID);
  });

  it('writes what it reads, and nothing for an invalid context', () => {
    expect(formatTraceparent(parseTraceparent(SAMPLED))).toBe(SAMPLED);
    expect(formatTraceparent(undefined)).toBeUndefined();
    expect(
      formatTraceparent({ traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 1 }),
    ).toBeUndefined();
  });
});

describe('task trace context without an SDK', () => {
  it("is the submitter's own traceparent when one is given, the active context otherwise", () => {
    const given = submitterContext({ traceparent: SAMPLED }, ROOT_CONTEXT);
    expect(trace.getSpanContext(given)?.spanId).toBe(SPAN_ID);
    expect(submitterContext({}, ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(taskContext({ traceparent: SAMPLED }))?.traceId).toBe(TRACE_ID);
    expect(taskContext(undefined)).toBe(ROOT_CONTEXT);
    expect(taskContext({ traceparent: 'garbage' })).toBe(ROOT_CONTEXT);
  });

  it('ignores a bad traceparent given as a submit option, and an oversized tracestate', () => {
    // A relayed header is not the task's fault: the task goes in, without that parent.
    expect(submitterContext({ traceparent: 'nope' }, ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
    expect(submitterContext({ traceparent: 42 }, ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
    const long = submitterContext(
      { traceparent: SAMPLED, tracestate: `a=${'x'.repeat(511)}` },
      ROOT_CONTEXT,
    );
    expect(trace.getSpanContext(long)?.spanId).toBe(SPAN_ID);
    expect(trace.getSpanContext(long)?.traceState).toBeUndefined();
    expect(() => validateSubmission('t', null, { traceparent: 'nope' })).not.toThrow();
    expect(validateSubmission('t', null, { traceparent: SAMPLED })).not.toHaveProperty(
      'traceparent',
    );
    // Not an option of the stored record: the trace context is its own field.
    expect(newTaskRecord('t-1', 't', null, { traceparent: SAMPLED }, 1).options).not.toHaveProperty(
      'traceparent',
    );
  });

  it('adds trace and span ids to a log line only when there is a trace', () => {
    const span = trace.wrapSpanContext(parseTraceparent(SAMPLED)!);
    expect(withTraceIds({ taskId: 'x' }, span)).toEqual({
      taskId: 'x',
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      trace_flags: '01',
    });
    expect(
      withTraceIds(
        { taskId: 'x' },
        trace.wrapSpanContext({ traceId: '', spanId: '', traceFlags: 0 }),
      ),
    ).toEqual({
      taskId: 'x',
    });
    expect(withTraceIds({ taskId: 'x' }, undefined)).toEqual({ taskId: 'x' });
  });
});
