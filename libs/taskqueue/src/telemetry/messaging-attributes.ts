/**
 * Span and metric attribute names. The messaging ones follow the OpenTelemetry semantic
 * conventions for messaging spans (https://opentelemetry.io/docs/specs/semconv/messaging/
 * messaging-spans/): a task type is the destination, a task id the message id. They are
 * written out here, not imported, because the conventions publish them only from their
 * unstable ("incubating") entry point, which libraries are asked not to depend on.
 */
export const ATTR = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
  attempt: 'shepherd.task.attempt',
  maxAttempts: 'shepherd.task.max_attempts',
  priority: 'shepherd.task.priority',
  group: 'shepherd.task.group',
  outcome: 'shepherd.task.outcome',
  duplicate: 'shepherd.task.duplicate',
  state: 'shepherd.task.state',
  assignOutcome: 'shepherd.assign.outcome',
  assignRefusal: 'shepherd.assign.refusal',
  waitMs: 'shepherd.task.wait_ms',
  worker: 'shepherd.worker.id',
  lostWorker: 'shepherd.worker.lost',
  reason: 'shepherd.reassign.reason',
  flow: 'shepherd.flow.id',
  schedule: 'shepherd.schedule.name',
  scheduledFor: 'shepherd.schedule.fire_time',
  fired: 'shepherd.schedule.fired',
  linkKind: 'shepherd.link.kind',
} as const;

/** `messaging.system`: Shepherd is not one of the conventions' well-known systems. */
export const MESSAGING_SYSTEM = 'shepherd';

/** The tracer's and meter's instrumentation scope. */
export const INSTRUMENTATION_SCOPE = '@shepherd/taskqueue';
/** The package's version: its package.json is two folders up from src/ and from dist/ alike. */
export const INSTRUMENTATION_VERSION = packageVersion();

function packageVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version?: string }).version;
  } catch {
    return undefined;
  }
}
