import { Context, trace } from '@opentelemetry/api';
import { parseTraceparent } from './traceparent';

/** W3C Trace Context §3.3.1.5: what every vendor must pass on; a longer tracestate is dropped. */
const MAX_TRACESTATE = 512;

/**
 * The context a submission continues: the item's own `traceparent` when it names one (a
 * request relayed from another process), else `parent`, the submitter's active context. One
 * that is not a traceparent is ignored, as the spec's processing model asks of a receiver (a
 * traceparent that cannot be parsed starts no trace of its own), so a relayed header never
 * fails a submission.
 */
export function submitterContext(
  options: { traceparent?: unknown; tracestate?: unknown },
  parent: Context,
): Context {
  if (options.traceparent === undefined) return parent;
  const state =
    typeof options.tracestate === 'string' && options.tracestate.length <= MAX_TRACESTATE
      ? options.tracestate
      : undefined;
  const remote = parseTraceparent(options.traceparent, state);
  return remote === undefined ? parent : trace.setSpanContext(parent, remote);
}
