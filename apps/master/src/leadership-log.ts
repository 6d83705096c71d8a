import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Subscription, skip } from 'rxjs';
import { APP_LOGGER, type Logger } from '../../app-kit/src';
import { Master } from '@shepherd/taskqueue';

/**
 * One JSON line per leadership change of this master: `elected` when it starts leading,
 * `stepped down` when it stops (resigned, deposed, or its session expired). Operators and the
 * local-cluster launcher read these to see which master leads.
 */
@Injectable()
export class LeadershipLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;

  constructor(
    private readonly master: Master,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // MasterModule's own bootstrap hook has joined the election by now (modules imported
    // first are bootstrapped first), so the current value is this master's real position.
    this.logger.info(
      { master: this.master.id, leader: this.master.isLeader },
      this.master.isLeader ? 'master started: leading' : 'master started: standing by',
    );
    this.subscription = this.master.leadership$.pipe(skip(1)).subscribe((leads) => {
      this.logger.info(
        { master: this.master.id, leader: leads },
        leads ? 'elected leader' : 'stepped down',
      );
    });
  }

  /** After MasterModule resigned (beforeApplicationShutdown), so that change is logged too. */
  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
