import { CLUSTER_EVENT_TYPES, type ClusterEventType } from './wire.js';

export type LinkState = 'connecting' | 'live' | 'down';

export interface LiveEventsHandlers {
  /** One event, its data unparsed (see EventInbox). */
  message(type: ClusterEventType, data: string): void;
  state(s: LinkState): void;
  /** The stream is open again after a break: events in between are lost, so re-read. */
  reopened(): void;
}

/** Delay before reopening a stream the browser gave up on (a 401, the server gone). */
const REOPEN_MS = 3000;

/**
 * GET /events through EventSource. Each server-sent event is named after its cluster event
 * type, so one listener per type; the browser reconnects by itself after a drop, and a stream
 * it closes for good (an error answer) is reopened here after a pause.
 */
export class LiveEvents {
  private source: EventSource | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private everOpened = false;

  constructor(
    private readonly url: () => string,
    private readonly on: LiveEventsHandlers,
  ) {}

  open(): void {
    this.close();
    const source = new EventSource(this.url());
    this.source = source;
    this.on.state('connecting');
    source.onopen = () => {
      this.on.state('live');
      if (this.everOpened) this.on.reopened();
      this.everOpened = true;
    };
    source.onerror = () => {
      if (source !== this.source) return;
      this.on.state(source.readyState === EventSource.CLOSED ? 'down' : 'connecting');
      if (source.readyState === EventSource.CLOSED)
        this.reopenTimer = setTimeout(() => this.open(), REOPEN_MS);
    };
    for (const type of CLUSTER_EVENT_TYPES)
      source.addEventListener(type, (m) => this.on.message(type, (m as MessageEvent<string>).data));
  }

  close(): void {
    clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = undefined;
  }
}
