import { CanActivate, Inject, Injectable } from '@nestjs/common';
import { ZooKeeperConnection } from '@shepherd/coordination';
import { CoordinationUnavailableError } from './coordination-unavailable';

/**
 * Answers at once (503, Retry-After) while the ZooKeeper session is disconnected, instead of
 * letting the request queue behind the reconnect and time out. A request that starts while
 * connected and loses the connection midway gets the same answer from CoordinationErrorFilter.
 */
@Injectable()
export class CoordinationGuard implements CanActivate {
  constructor(@Inject(ZooKeeperConnection) private readonly connection: ZooKeeperConnection) {}

  canActivate(): boolean {
    if (!this.connection.isConnected()) throw new CoordinationUnavailableError();
    return true;
  }
}
