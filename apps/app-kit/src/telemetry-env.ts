/**
 * What the standard OpenTelemetry environment variables ask of an app, read without loading
 * the SDK: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/.
 * The SDK packages (sdk-trace, sdk-metrics) read none of them themselves; the OTLP exporters
 * read their own (endpoints, headers, timeouts). What is honoured here:
 *
 *   OTEL_SDK_DISABLED                      true: nothing is registered
 *   OTEL_EXPORTER_OTLP_ENDPOINT            traces and metrics (the base URL; /v1/... added)
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT     traces only; OTEL_EXPORTER_OTLP_METRICS_ENDPOINT metrics
 *   OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER   otlp (default) or none
 *   OTEL_EXPORTER_OTLP_PROTOCOL (and the per-signal ones)   http/json only: another is warned of
 *   OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG   always_on, always_off, traceidratio,
 *                                          parentbased_always_on (default), parentbased_always_off,
 *                                          parentbased_traceidratio; the ratio defaults to 1.0
 *   OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
 *   OTEL_BSP_EXPORT_TIMEOUT                the batch span processor
 *   OTEL_METRIC_EXPORT_INTERVAL, OTEL_METRIC_EXPORT_TIMEOUT   the periodic metric reader
 *   OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES   the resource (read by the SDK's env detector)
 */
export interface TelemetryPlan {
  /** Where traces go (OTLP/HTTP), when they are exported. */
  traces?: { endpoint: string; sampler: SamplerChoice; batch: BatchOptions };
  /** Where metrics go (OTLP/HTTP), when they are exported. */
  metrics?: { endpoint: string; intervalMs: number; timeoutMs: number };
  /** Settings that were not honoured, to log. */
  warnings: string[];
}

export interface SamplerChoice {
  parentBased: boolean;
  root: 'always_on' | 'always_off' | 'traceidratio';
  ratio: number;
}

export interface BatchOptions {
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  exportTimeoutMillis?: number;
}

/** The spec's defaults for the periodic metric reader. */
const METRIC_EXPORT_INTERVAL_MS = 60_000;
const METRIC_EXPORT_TIMEOUT_MS = 30_000;

const SAMPLERS: Record<string, Omit<SamplerChoice, 'ratio'>> = {
  always_on: { parentBased: false, root: 'always_on' },
  always_off: { parentBased: false, root: 'always_off' },
  traceidratio: { parentBased: false, root: 'traceidratio' },
  parentbased_always_on: { parentBased: true, root: 'always_on' },
  parentbased_always_off: { parentBased: true, root: 'always_off' },
  parentbased_traceidratio: { parentBased: true, root: 'traceidratio' },
};

/** What to register for `env`; undefined when nothing is exported. */
export function telemetryPlan(env: NodeJS.ProcessEnv): TelemetryPlan | undefined {
  if (lower(env.OTEL_SDK_DISABLED) === 'true') return undefined;
  const warnings: string[] = [];
  const plan: TelemetryPlan = { warnings };
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (tracesEndpoint && exporterWanted('OTEL_TRACES_EXPORTER', env, warnings)) {
    checkProtocol('TRACES', env, warnings);
    plan.traces = {
      endpoint: tracesEndpoint,
      sampler: samplerOf(env, warnings),
      batch: batchOptions(env),
    };
  }
  const metricsEndpoint =
    env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (metricsEndpoint && exporterWanted('OTEL_METRICS_EXPORTER', env, warnings)) {
    checkProtocol('METRICS', env, warnings);
    const intervalMs = positiveInt(env.OTEL_METRIC_EXPORT_INTERVAL) ?? METRIC_EXPORT_INTERVAL_MS;
    plan.metrics = {
      endpoint: metricsEndpoint,
      intervalMs,
      // The reader refuses a timeout above its interval.
      timeoutMs: Math.min(
        positiveInt(env.OTEL_METRIC_EXPORT_TIMEOUT) ?? METRIC_EXPORT_TIMEOUT_MS,
        intervalMs,
      ),
    };
  }
  return plan.traces || plan.metrics ? plan : undefined;
}

/**
 * The batch span processor's settings from OTEL_BSP_*. Unset or not a positive integer: the
 * SDK's default.
 */
export function batchOptions(env: NodeJS.ProcessEnv): BatchOptions {
  const options: BatchOptions = {};
  const set = (key: keyof BatchOptions, name: string): void => {
    const value = positiveInt(env[name]);
    if (value !== undefined) options[key] = value;
  };
  set('scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY');
  set('maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE');
  set('maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
  set('exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT');
  // The SDK refuses a batch larger than the queue; keep the queue's size then.
  const { maxExportBatchSize: batch, maxQueueSize: queue } = options;
  if (batch !== undefined && queue !== undefined && batch > queue)
    options.maxExportBatchSize = queue;
  return options;
}

function samplerOf(env: NodeJS.ProcessEnv, warnings: string[]): SamplerChoice {
  const name = lower(env.OTEL_TRACES_SAMPLER) || 'parentbased_always_on';
  let base = SAMPLERS[name];
  if (base === undefined) {
    warnings.push(`OTEL_TRACES_SAMPLER=${name} is not supported; using parentbased_always_on`);
    base = SAMPLERS.parentbased_always_on;
  }
  let ratio = 1;
  const arg = env.OTEL_TRACES_SAMPLER_ARG;
  if (base.root === 'traceidratio' && arg !== undefined && arg.trim() !== '') {
    const value = Number(arg);
    if (Number.isFinite(value) && value >= 0 && value <= 1) ratio = value;
    else warnings.push(`OTEL_TRACES_SAMPLER_ARG=${arg} is not a ratio in [0, 1]; using 1.0`);
  }
  return { ...base, ratio };
}

function exporterWanted(name: string, env: NodeJS.ProcessEnv, warnings: string[]): boolean {
  const value = lower(env[name]);
  if (value === '' || value === 'otlp') return true;
  if (value !== 'none')
    warnings.push(`${name}=${value} is not supported (otlp or none); exporting none`);
  return false;
}

function checkProtocol(signal: string, env: NodeJS.ProcessEnv, warnings: string[]): void {
  const name = env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`]
    ? `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = lower(env[name]);
  if (value !== '' && value !== 'http/json')
    warnings.push(`${name}=${value}: the apps export http/json only (OTLP over HTTP, port 4318)`);
}

function positiveInt(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

function lower(value: string | undefined): string {
  return (value ?? '').trim().toLowerCase();
}
