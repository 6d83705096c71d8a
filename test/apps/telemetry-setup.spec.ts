import { batchOptions, startTelemetry } from '../../apps/app-kit/src/telemetry';
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

  it('registers the SDK with an endpoint, and stops it', async () => {
    const telemetry = startTelemetry('worker', logger, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(telemetry?.endpoint).toBe('http://127.0.0.1:9');
    await telemetry?.shutdown();
  });
});
