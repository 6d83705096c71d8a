import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/**
 * The OpenTelemetry SDK as an application registers it (global tracer and meter providers, the
 * AsyncLocalStorage context manager, the W3C propagator), exporting to memory so a test can
 * read every span and metric this process made.
 */
export class InMemoryOtel {
  readonly spans = new InMemorySpanExporter();
  private readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  private readonly tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: this.spans })],
  });
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly contextManager = new AsyncLocalStorageContextManager();

  register(): this {
    this.contextManager.enable();
    context.setGlobalContextManager(this.contextManager);
    trace.setGlobalTracerProvider(this.tracerProvider);
    metrics.setGlobalMeterProvider(this.meterProvider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    return this;
  }

  async shutdown(): Promise<void> {
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
    trace.disable();
    metrics.disable();
    context.disable();
    propagation.disable();
  }

  /** The ended spans of one trace. */
  traceOf(traceId: string): ReadableSpan[] {
    return this.spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
  }

  /** The ended spans named `name`. */
  named(name: string): ReadableSpan[] {
    return this.spans.getFinishedSpans().filter((s) => s.name === name);
  }

  /** Collects the metrics now. */
  async collect(): Promise<ResourceMetrics[]> {
    await this.reader.forceFlush();
    return this.metricExporter.getMetrics();
  }

  /** The points of the metric named `name`, from the last collection. */
  async points(name: string): Promise<{ attributes: Record<string, unknown>; value: unknown }[]> {
    const all = await this.collect();
    const last = all[all.length - 1];
    const out: { attributes: Record<string, unknown>; value: unknown }[] = [];
    for (const scope of last?.scopeMetrics ?? [])
      for (const metric of scope.metrics)
        if (metric.descriptor.name === name)
          for (const point of metric.dataPoints)
            out.push({ attributes: point.attributes, value: point.value });
    return out;
  }
}

/** The parent span id of a span, whatever the SDK version calls it. */
export function parentSpanId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
