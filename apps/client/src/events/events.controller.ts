import { Controller, Inject, type MessageEvent, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Observable, interval, map, merge, takeUntil } from 'rxjs';
import { CLUSTER_EVENT_TYPES } from '@shepherd/taskqueue';
import { CLIENT_APP_OPTIONS, type ResolvedClientAppOptions } from '../client-app-options';
import { AcceptsQueryToken } from '../http/api-access';
import { ShepherdApi } from '../http/shepherd-api.decorator';
import { ClusterEventFeed } from './cluster-event-feed';
import { HEARTBEAT, toSseMessage } from './sse-message';

const EVENT_NAMES = CLUSTER_EVENT_TYPES.join(', ');

@ApiTags('events')
@ShepherdApi()
@Controller()
export class EventsController {
  constructor(
    @Inject(ClusterEventFeed) private readonly feed: ClusterEventFeed,
    @Inject(CLIENT_APP_OPTIONS) private readonly options: ResolvedClientAppOptions,
  ) {}

  @Sse('events')
  @AcceptsQueryToken()
  @ApiOperation({
    summary: 'Cluster events as server-sent events',
    description: `One event per change seen, named by its type (${EVENT_NAMES}); its data is the event as JSON. The response starts once the watch behind it is set, so a change made after it started is in it. A comment line every 15 s keeps the connection open. Events are not replayed: task histories are the durable account.`,
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({
    name: 'access_token',
    required: false,
    type: String,
    description: 'The API token, for clients that cannot send headers (EventSource)',
  })
  @ApiOkResponse({ description: 'text/event-stream' })
  async events(): Promise<Observable<MessageEvent>> {
    // The stream answers once its watch is set: what happens after the client sees the answer
    // is in it.
    const events$ = await this.feed.open();
    return merge(
      events$.pipe(map(toSseMessage)),
      interval(this.options.sseHeartbeatMs).pipe(
        map(() => HEARTBEAT),
        takeUntil(this.feed.closed$),
      ),
    );
  }
}
