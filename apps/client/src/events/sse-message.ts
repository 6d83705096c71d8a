import type { MessageEvent } from '@nestjs/common';
import type { ClusterEvent } from '@shepherd/taskqueue';
import { isoTime } from '../iso-time';

/** One cluster event as a server-sent event: named by its type, its data the event as JSON. */
export function toSseMessage(event: ClusterEvent): MessageEvent {
  const { type, at, ...rest } = event;
  return { type, data: { type, at: isoTime(at), ...rest } };
}

/** A comment line: EventSource ignores it; it keeps idle connections (and proxies) open. */
export const HEARTBEAT: MessageEvent = { comment: 'heartbeat' };
