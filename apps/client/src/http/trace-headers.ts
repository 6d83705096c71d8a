import type { IncomingHttpHeaders } from 'http';
import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/** What a submission's trace continues, from a request's W3C Trace Context headers. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The request's `traceparent` and `tracestate`
 * (https://www.w3.org/TR/trace-context/#trace-context-http-headers-format), for a submission to
 * continue, so a trace that reaches POST /tasks goes on into the task even when this process
 * runs no OpenTelemetry SDK. Nothing when an instrumented server already made a span for the
 * request (it continues the header itself, and the submission continues that span, the active
 * one). The values are passed as they came: the submission's trace context is checked where
 * every submitter's is (submitterContext), which ignores a traceparent it cannot parse (repeated
 * headers, joined by Node, are one) and a tracestate over 512 characters, as the spec asks.
 */
export function traceHeaders(headers: IncomingHttpHeaders): TraceHeaders {
  const active = trace.getSpanContext(context.active());
  if (active !== undefined && isSpanContextValid(active)) return {};
  const { traceparent, tracestate } = headers;
  if (typeof traceparent !== 'string') return {};
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
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
