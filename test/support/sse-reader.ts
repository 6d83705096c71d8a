import { IncomingMessage, request } from 'http';
import { waitFor } from './wait-for';

/** One event as read off the wire: its name (`event:`) and its data parsed as JSON. */
export interface ReceivedEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * A minimal EventSource for tests: GETs a text/event-stream and parses it by the spec's rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * lines until a blank line make an event, "event:" names it, "data:" lines are its data,
 * lines starting with ":" are comments.
 */
export class SseReader {
  readonly events: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  private buffer = '';
  private response: IncomingMessage | undefined;
  private readonly req;

  private constructor(url: string, headers: Record<string, string>) {
    this.req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      this.response = res;
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('error', () => undefined);
    });
    this.req.on('error', () => undefined);
    this.req.end();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader(url, headers);
    await waitFor('the event stream to answer', () => reader.status !== 0, { timeoutMs: 5000 });
    return reader;
  }

  /** The body so far, for streams answered with an error instead of events. */
  get raw(): string {
    return this.buffer;
  }

  waitFor(what: string, match: (e: ReceivedEvent) => boolean, timeoutMs = 15_000) {
    return waitFor(what, () => this.events.find(match), { timeoutMs, intervalMs: 20 });
  }

  /** The data of every event named `event` so far. */
  of(event: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.event === event).map((e) => e.data);
  }

  close(): void {
    this.response?.destroy();
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      this.parse(block);
    }
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0)
      this.events.push({ event, data: JSON.parse(data.join('\n')) as Record<string, unknown> });
  }
}
