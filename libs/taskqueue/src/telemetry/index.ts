export { ATTR, INSTRUMENTATION_SCOPE, MESSAGING_SYSTEM } from './messaging-attributes';
export { TaskMetrics, observeQueueDepth, taskMeter, type DepthReading } from './task-metrics';
export { taskContext, withTraceIds } from './task-spans';
export { submitterContext } from './task-trace';
export { formatTraceparent, isTraceparent, parseTraceparent } from './traceparent';
