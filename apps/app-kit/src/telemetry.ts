import type { Logger } from './logger';
import { SamplerChoice, telemetryPlan } from './telemetry-env';

/** What an app that exports telemetry keeps: flushed and stopped at shutdown. */
export interface Telemetry {
  /** Where it exports traces (or metrics, when only they are exported). */
  readonly endpoint: string;
  shutdown(): Promise<void>;
}

let active: Telemetry | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK is loaded only when exporting */
type Api = typeof import('@opentelemetry/api');
type SdkTrace = typeof import('@opentelemetry/sdk-trace');

/**
 * Registers the OpenTelemetry SDK for this process, exporting traces and metrics over OTLP/HTTP,
 * when the environment asks for it the standard way (telemetry-env.ts lists the variables
 * honoured; OTEL_EXPORTER_OTLP_ENDPOINT set is the usual one). The service is
 * `shepherd-<app>` unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES name it.
 *
 * Called before the app builds its master, worker or client. The SDK is loaded only here, so an
 * app without these variables never loads it, and the libraries' instrumentation stays the
 * API's no-op. When another SDK is already registered (preloaded with --require), that one is
 * used and this one is not: said in a warning.
 */
export function startTelemetry(
  app: string,
  logger: Logger,
  env = process.env,
): Telemetry | undefined {
  const plan = telemetryPlan(env);
  if (plan === undefined) return undefined;
  for (const warning of plan.warnings) logger.warn({}, `telemetry: ${warning}`);
  const api = require('@opentelemetry/api') as Api;
  const resources =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name.
  const resource = resources
    .resourceFromAttributes({
      'service.name': `shepherd-${app}`,
      'service.namespace': 'shepherd',
      'service.instance.id': `${app}-${process.pid}`,
    })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));

  const stops: (() => Promise<void>)[] = [];
  const registered: string[] = [];
  if (plan.traces) {
    const sdkTrace = require('@opentelemetry/sdk-trace') as SdkTrace;
    const { OTLPTraceExporter } =
      require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    const { AsyncLocalStorageContextManager } =
      require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
    const core = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
    const tracerProvider = new sdkTrace.TracerProvider({
      resource,
      sampler: samplerOf(sdkTrace, plan.traces.sampler),
      spanProcessors: [
        new sdkTrace.BatchSpanProcessor({
          exporter: new OTLPTraceExporter(),
          ...plan.traces.batch,
        }),
      ],
    });
    if (api.trace.setGlobalTracerProvider(tracerProvider)) {
      api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      api.propagation.setGlobalPropagator(
        new core.CompositePropagator({
          propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
        }),
      );
      stops.push(() => tracerProvider.shutdown());
      registered.push('traces');
    } else {
      void tracerProvider.shutdown();
      logger.warn({}, 'telemetry: a tracer provider was already registered; it is the one used');
    }
  }
  if (plan.metrics) {
    const sdkMetrics =
      require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
    const { OTLPMetricExporter } =
      require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
    const meterProvider = new sdkMetrics.MeterProvider({
      resource,
      readers: [
        new sdkMetrics.PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter(),
          exportIntervalMillis: plan.metrics.intervalMs,
          exportTimeoutMillis: plan.metrics.timeoutMs,
        }),
      ],
    });
    if (api.metrics.setGlobalMeterProvider(meterProvider)) {
      stops.push(() => meterProvider.shutdown());
      registered.push('metrics');
    } else {
      void meterProvider.shutdown();
      logger.warn({}, 'telemetry: a meter provider was already registered; it is the one used');
    }
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (registered.length === 0) return undefined;
  const endpoint = (plan.traces ?? plan.metrics)!.endpoint;
  logger.info(
    {
      traces: plan.traces?.endpoint,
      metrics: plan.metrics?.endpoint,
      sampler: plan.traces?.sampler,
      metricIntervalMs: plan.metrics?.intervalMs,
    },
    `exporting ${registered.join(' and ')} over OTLP`,
  );
  const telemetry: Telemetry = {
    endpoint,
    async shutdown() {
      // Spans and metrics of the shutdown itself (tasks handed back) are flushed too.
      await Promise.allSettled(stops.map((stop) => stop()));
      if (active === telemetry) active = undefined;
    },
  };
  active = telemetry;
  return telemetry;
}

/** The SDK sampler the environment chose. */
function samplerOf(sdk: SdkTrace, choice: SamplerChoice) {
  const root =
    choice.root === 'always_on'
      ? new sdk.AlwaysOnSampler()
      : choice.root === 'always_off'
        ? new sdk.AlwaysOffSampler()
        : new sdk.TraceIdRatioBasedSampler(choice.ratio);
  return choice.parentBased ? new sdk.ParentBasedSampler({ root }) : root;
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
