import { IncomingMessage, request } from 'http';

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * A server-sent-events stream read with node:http (the wire format of the HTML spec: `event:`
 * and `data:` lines, a blank line ends an event, `:` starts a comment). Keeps every event.
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  private response: IncomingMessage | undefined;
  private readonly opened: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.opened = new Promise((resolve, reject) => {
      const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`SSE answered ${res.statusCode}`));
        this.response = res;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.parse(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
  }

  ready(): Promise<void> {
    return this.opened;
  }

  close(): void {
    this.response?.destroy();
  }

  of(event: string): unknown[] {
    return this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as unknown);
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n') });
  }
}
