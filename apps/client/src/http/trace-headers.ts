import type { IncomingHttpHeaders } from 'http';
import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { isTraceparent } from '@shepherd/taskqueue';

/** What a submission's trace continues, from a request's W3C Trace Context headers. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The request's `traceparent` and `tracestate`
 * (https://www.w3.org/TR/trace-context/#trace-context-http-headers-format), for a submission to
 * continue, so a trace that reaches POST /tasks goes on into the task even when this process
 * runs no OpenTelemetry SDK. Nothing when:
 * - an instrumented server already made a span for the request (it continues the header
 *   itself, and the submission continues that span, the active one);
 * - the header is absent, repeated or not a traceparent: the spec asks a receiver to ignore
 *   one it cannot parse, so a bad header never turns a submission away;
 * - tracestate is dropped alone when it is over the 512 characters every vendor must pass on.
 */
export function traceHeaders(headers: IncomingHttpHeaders): TraceHeaders {
  const active = trace.getSpanContext(context.active());
  if (active !== undefined && isSpanContextValid(active)) return {};
  const traceparent = headers.traceparent;
  if (!isTraceparent(traceparent)) return {};
  const out: TraceHeaders = { traceparent: traceparent.trim() };
  const tracestate = headers.tracestate;
  if (typeof tracestate === 'string' && tracestate.length > 0 && tracestate.length <= 512)
    out.tracestate = tracestate;
  return out;
}

/** The two headers in the OpenAPI document of an endpoint that submits. */
export function ApiTraceHeaders(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'traceparent',
      required: false,
      description:
        'W3C Trace Context: the trace the task (or flow) continues, from the submit span ' +
        'through the master to the handler. Ignored when it is not a valid traceparent.',
    }),
    ApiHeader({ name: 'tracestate', required: false, description: 'W3C Trace Context' }),
  );
}
