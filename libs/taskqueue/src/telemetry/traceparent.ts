import { SpanContext, TraceFlags, createTraceState, isSpanContextValid } from '@opentelemetry/api';

/**
 * The W3C Trace Context `traceparent` value (https://www.w3.org/TR/trace-context/#traceparent-header):
 * `version-traceid-parentid-flags`, lowercase hex, 00-<32>-<16>-<2>. A task record always holds
 * this form, whatever propagator an application registered: the record is Shepherd's own
 * carrier, not an HTTP header, and the master and workers that read it may run without any
 * OpenTelemetry SDK at all.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** `traceparent` of a span context, or undefined when it is not valid (no active trace). */
export function formatTraceparent(span: SpanContext | undefined): string | undefined {
  if (span === undefined || !isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${traceFlagsHex(span.traceFlags)}`;
}

/** Trace flags as the two hex digits of a traceparent (and of a log line's `trace_flags`). */
export function traceFlagsHex(flags: number): string {
  return (flags & 0xff).toString(16).padStart(2, '0');
}

/**
 * The remote span context a `traceparent` (and `tracestate`) names, or undefined when the value
 * is not one. As the spec asks, version ff is invalid, all-zero ids are invalid, and a version
 * above 00 is read for its first four fields (§3.2.4, "versioning of traceparent").
 */
export function parseTraceparent(
  traceparent: unknown,
  tracestate?: unknown,
): SpanContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const m = TRACEPARENT.exec(traceparent.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  if (typeof tracestate === 'string' && tracestate.length > 0)
    context.traceState = createTraceState(tracestate);
  return context;
}

/** True when `value` is a traceparent parseTraceparent accepts. */
export function isTraceparent(value: unknown): value is string {
  return parseTraceparent(value) !== undefined;
}
