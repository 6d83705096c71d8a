import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { AddressInfo } from 'net';

/** A span as OTLP/JSON carries it (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpAttribute[];
  events?: { name: string; timeUnixNano: string; attributes?: OtlpAttribute[] }[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number; message?: string };
}

export interface OtlpAttribute {
  key: string;
  value: {
    stringValue?: string;
    intValue?: string | number;
    doubleValue?: number;
    boolValue?: boolean;
  };
}

/** A span with the service that sent it. */
export interface ReceivedSpan extends OtlpSpan {
  service: string;
}

/** A metric data point with the service that sent it. */
export interface ReceivedPoint {
  service: string;
  metric: string;
  attributes: Record<string, unknown>;
  value: number | undefined;
}

/**
 * A collector's OTLP/HTTP receiver, JSON only (what the SDK's OTLP/HTTP exporters send by
 * default): POST /v1/traces and /v1/metrics on loopback, keeping everything in memory.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly points: ReceivedPoint[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** The spans of one trace. */
  traceOf(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.url === '/v1/traces') this.addSpans(body as TracesRequest);
    else if (req.url === '/v1/metrics') this.addMetrics(body as MetricsRequest);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  }

  private addSpans(body: TracesRequest): void {
    for (const rs of body.resourceSpans ?? []) {
      const service = serviceOf(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) this.spans.push({ ...span, service });
    }
  }

  private addMetrics(body: MetricsRequest): void {
    for (const rm of body.resourceMetrics ?? []) {
      const service = serviceOf(rm.resource?.attributes);
      for (const sm of rm.scopeMetrics ?? [])
        for (const m of sm.metrics ?? []) {
          const points = m.sum?.dataPoints ?? m.gauge?.dataPoints ?? m.histogram?.dataPoints ?? [];
          for (const p of points)
            this.points.push({
              service,
              metric: m.name,
              attributes: attributesOf(p.attributes),
              value: numberOf(p.asInt ?? p.asDouble ?? p.count),
            });
        }
    }
  }
}

interface TracesRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

interface MetricsRequest {
  resourceMetrics?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeMetrics?: {
      metrics?: {
        name: string;
        sum?: { dataPoints?: OtlpPoint[] };
        gauge?: { dataPoints?: OtlpPoint[] };
        histogram?: { dataPoints?: OtlpPoint[] };
      }[];
    }[];
  }[];
}

interface OtlpPoint {
  attributes?: OtlpAttribute[];
  asInt?: string | number;
  asDouble?: number;
  count?: string | number;
}

/** An OTLP attribute list as a plain object. */
export function attributesOf(list: OtlpAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? [])
    out[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue;
  return out;
}

function serviceOf(list: OtlpAttribute[] | undefined): string {
  return String(attributesOf(list)['service.name'] ?? 'unknown');
}

function numberOf(v: string | number | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}
