import { Context, trace } from '@opentelemetry/api';
import { parseTraceparent } from './traceparent';

/**
 * The context a submission continues: the item's own `traceparent` when it names one (a
 * request relayed from another process), else `parent`, the submitter's active context.
 */
export function submitterContext(
  options: { traceparent?: string; tracestate?: string },
  parent: Context,
): Context {
  if (options.traceparent === undefined) return parent;
  const remote = parseTraceparent(options.traceparent, options.tracestate);
  return remote === undefined ? parent : trace.setSpanContext(parent, remote);
}
