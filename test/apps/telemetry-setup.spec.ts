import { startTelemetry } from '../../apps/app-kit/src/telemetry';
import { batchOptions, telemetryPlan } from '../../apps/app-kit/src/telemetry-env';
import { createLogger } from '../../apps/app-kit/src/logger';

// When an app registers the OpenTelemetry SDK, and the batch settings it reads from the
// standard variables (the export itself is exercised end to end in otel-export.spec.ts).
describe('app telemetry setup', () => {
  const logger = createLogger('test', 'silent');

  it('registers nothing without an OTLP endpoint, or with OTEL_SDK_DISABLED=true', () => {
    expect(startTelemetry('worker', logger, {})).toBeUndefined();
    expect(
      startTelemetry('worker', logger, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SDK_DISABLED: 'TRUE',
      }),
    ).toBeUndefined();
  });

  it('reads the OTEL_BSP_* variables the SDK no longer reads itself', () => {
    expect(batchOptions({})).toEqual({});
    expect(
      batchOptions({
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512',
        OTEL_BSP_EXPORT_TIMEOUT: 'soon',
      }),
    ).toEqual({ scheduledDelayMillis: 200, maxQueueSize: 100, maxExportBatchSize: 100 });
    expect(batchOptions({ OTEL_BSP_SCHEDULE_DELAY: '-5' })).toEqual({});
  });

  it('exports traces and metrics where the endpoints say, as the exporters say', () => {
    const base = 'http://127.0.0.1:4318';
    expect(telemetryPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: base })).toEqual({
      traces: {
        endpoint: base,
        sampler: { parentBased: true, root: 'always_on', ratio: 1 },
        batch: {},
      },
      metrics: { endpoint: base, intervalMs: 60_000, timeoutMs: 30_000 },
      warnings: [],
    });
    // One signal's endpoint alone turns on that signal alone.
    const traces = telemetryPlan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${base}/v1/traces` });
    expect(traces?.traces?.endpoint).toBe(`${base}/v1/traces`);
    expect(traces?.metrics).toBeUndefined();
    const onlyMetrics = telemetryPlan({
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${base}/v1/metrics`,
    });
    expect(onlyMetrics?.traces).toBeUndefined();
    expect(onlyMetrics?.metrics?.endpoint).toBe(`${base}/v1/metrics`);
    // none turns a signal off; with both off nothing is registered.
    expect(
      telemetryPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: base, OTEL_METRICS_EXPORTER: 'none' })?.metrics,
    ).toBeUndefined();
    expect(
      telemetryPlan({
        OTEL_EXPORTER_OTLP_ENDPOINT: base,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_TRACES_EXPORTER: 'none',
      }),
    ).toBeUndefined();
    // A metric timeout above the interval would be refused by the reader.
    expect(
      telemetryPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: base, OTEL_METRIC_EXPORT_INTERVAL: '1000' })
        ?.metrics,
    ).toEqual({ endpoint: base, intervalMs: 1000, timeoutMs: 1000 });
  });

  it('reads the sampler, and warns of what it cannot honour', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(
      telemetryPlan({
        ...base,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      })?.traces?.sampler,
    ).toEqual({ parentBased: true, root: 'traceidratio', ratio: 0.25 });
    const odd = telemetryPlan({
      ...base,
      OTEL_TRACES_SAMPLER: 'jaeger_remote',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_EXPORTER: 'zipkin',
    });
    expect(odd?.traces).toBeUndefined();
    expect(odd?.warnings).toEqual([
      'OTEL_TRACES_EXPORTER=zipkin is not supported (otlp or none); exporting none',
      'OTEL_EXPORTER_OTLP_PROTOCOL=grpc: the apps export http/json only (OTLP over HTTP, port 4318)',
    ]);
    expect(
      telemetryPlan({ ...base, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })
        ?.warnings,
    ).toEqual(['OTEL_TRACES_SAMPLER_ARG=2 is not a ratio in [0, 1]; using 1.0']);
  });

  it('registers the SDK with an endpoint, and stops it', async () => {
    const telemetry = startTelemetry('worker', logger, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(telemetry?.endpoint).toBe('http://127.0.0.1:9');
    await telemetry?.shutdown();
  });
});
