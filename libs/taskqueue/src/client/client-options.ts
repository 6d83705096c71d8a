import { ACL, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { Clock, systemClock } from '@shepherd/zk-client';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { OwnSubmissions } from './own-submissions';

/** pino-style: a context object first, then the message. */
export interface ClientLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ListCacheOptions {
  /** Newest terminal records whose names are kept (default 10,000; up to twice that between trims). */
  size?: number;
  /** The watch is removed and the names dropped after this long without a listing (default 60 s). */
  idleMs?: number;
}

export interface TaskQueueClientOptions {
  /** The connection to use; it survives session expiry, so the client does too. */
  connection: ZooKeeperConnection;
  /** ACL of the znodes the client creates (tasks, keys; default OPEN_ACL_UNSAFE). */
  acl?: ACL[];
  /** Timers (wait timeouts, retry delays) and the time stamped on records. */
  clock?: Clock;
  logger?: ClientLogger;
  /**
   * Lists keep the names of the newest finished tasks, watched, while lists keep coming (see
   * StatusWindow): a first page of done tasks then reads only its own records. On by default;
   * false lists /status from the server every time.
   */
  listCache?: ListCacheOptions | false;
}

const noop = (): void => undefined;
const SILENT: ClientLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** What every client operation needs: resolved once, shared by the operation modules. */
export interface ClientContext {
  connection: ZooKeeperConnection;
  acl: ACL[];
  clock: Clock;
  logger: ClientLogger;
  /** What this client submitted while its event streams watched (own-submissions.ts). */
  own: OwnSubmissions;
}

export function resolveClientOptions(options: TaskQueueClientOptions): ClientContext {
  if (!options?.connection) throw new TypeError('TaskQueueClient needs a connection');
  return {
    connection: options.connection,
    acl: options.acl ?? OPEN_ACL_UNSAFE,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? SILENT,
    own: new OwnSubmissions(),
  };
}
