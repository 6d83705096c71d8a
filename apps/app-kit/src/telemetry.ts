import type { Logger } from './logger';

/** What an app that exports telemetry keeps: flushed and stopped at shutdown. */
export interface Telemetry {
  /** Where it exports (the OTLP/HTTP base URL, or the traces URL when only that is set). */
  readonly endpoint: string;
  shutdown(): Promise<void>;
}

let active: Telemetry | undefined;

/** The default interval of OTEL_METRIC_EXPORT_INTERVAL, as the SDK configuration spec sets it. */
const METRIC_EXPORT_INTERVAL_MS = 60_000;

/**
 * Registers the OpenTelemetry SDK for this process, exporting traces and metrics over OTLP/HTTP,
 * when the environment asks for it the standard way: OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, OTEL_SDK_DISABLED not "true". The exporters read the
 * rest of the OTEL_EXPORTER_OTLP_* variables themselves (headers, timeouts), and
 * OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES name the process (default service
 * `shepherd-<app>`). See https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/.
 *
 * Called before the app builds its master, worker or client, since the task metrics are made
 * on the meter registered then. The SDK is loaded only here, so an app without these variables
 * never loads it, and the libraries' instrumentation stays the API's no-op.
 */
export function startTelemetry(
  app: string,
  logger: Logger,
  env = process.env,
): Telemetry | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when exporting */
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } =
    require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const core = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const resources =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const sdkTrace = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const sdkMetrics =
    require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { OTLPMetricExporter } =
    require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
  /* eslint-enable @typescript-eslint/no-require-imports */

  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name.
  const resource = resources
    .resourceFromAttributes({
      'service.name': `shepherd-${app}`,
      'service.namespace': 'shepherd',
      'service.instance.id': `${app}-${process.pid}`,
    })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const tracerProvider = new sdkTrace.TracerProvider({
    resource,
    spanProcessors: [
      new sdkTrace.BatchSpanProcessor({ exporter: new OTLPTraceExporter(), ...batchOptions(env) }),
    ],
  });
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL) || METRIC_EXPORT_INTERVAL_MS;
  const meterProvider = new sdkMetrics.MeterProvider({
    resource,
    readers: [
      new sdkMetrics.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(),
        exportIntervalMillis: interval,
        exportTimeoutMillis: Math.min(30_000, interval),
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  api.propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );
  api.trace.setGlobalTracerProvider(tracerProvider);
  api.metrics.setGlobalMeterProvider(meterProvider);
  logger.info({ endpoint, metricIntervalMs: interval }, 'exporting traces and metrics over OTLP');

  const telemetry: Telemetry = {
    endpoint,
    async shutdown() {
      // Spans and metrics of the shutdown itself (tasks handed back) are flushed too.
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      if (active === telemetry) active = undefined;
    },
  };
  active = telemetry;
  return telemetry;
}

/**
 * The batch span processor's settings from OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_QUEUE_SIZE,
 * OTEL_BSP_MAX_EXPORT_BATCH_SIZE and OTEL_BSP_EXPORT_TIMEOUT, as the SDK environment spec names
 * them: the SDK's BatchSpanProcessor (sdk-trace 3) no longer reads them itself. Unset or not a
 * positive integer: the SDK's default.
 */
export function batchOptions(env: NodeJS.ProcessEnv): {
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  exportTimeoutMillis?: number;
} {
  const int = (name: string): number | undefined => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const options = {
    scheduledDelayMillis: int('OTEL_BSP_SCHEDULE_DELAY'),
    maxQueueSize: int('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: int('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    exportTimeoutMillis: int('OTEL_BSP_EXPORT_TIMEOUT'),
  };
  // The SDK refuses a batch larger than the queue; keep the queue's size then.
  if (
    options.maxExportBatchSize !== undefined &&
    options.maxQueueSize !== undefined &&
    options.maxExportBatchSize > options.maxQueueSize
  )
    options.maxExportBatchSize = options.maxQueueSize;
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** Flushes and stops the telemetry startTelemetry registered, if any (at the app's shutdown). */
export async function stopTelemetry(): Promise<void> {
  await active?.shutdown();
}

const TELEMETRY_SHUTDOWN = Symbol('TELEMETRY_SHUTDOWN');

/**
 * A Nest provider that stops the telemetry in the last shutdown phase (onApplicationShutdown),
 * after the master or worker stopped in an earlier one: the spans of the shutdown itself (tasks
 * handed back) are exported too.
 */
export function telemetryShutdownProvider() {
  return { provide: TELEMETRY_SHUTDOWN, useValue: { onApplicationShutdown: stopTelemetry } };
}
