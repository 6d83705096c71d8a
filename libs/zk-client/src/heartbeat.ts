import type { Clock, TimerHandle } from '@shepherd/zk-protocol';

/** What the heartbeat drives; a tiny interface so it can be tested with a fake. */
export interface HeartbeatTarget {
  sendPing(): void;
  /** Nothing heard from the server for readTimeout: the connection is presumed dead. */
  onReadTimeout(idleMs: number): void;
}

/**
 * Session keep-alive with a single timer per connection, never one per request.
 *
 * ClientCnxn.java: readTimeout = negotiatedSessionTimeout * 2 / 3; a ping is sent when nothing
 * was sent for readTimeout / 2 (= a third of the session timeout), and the connection is
 * dropped when nothing was received for readTimeout. Dropping at two thirds leaves the client
 * the last third of the session to re-attach elsewhere before the server expires it.
 *
 * `sent()`/`received()` only store a timestamp; the timer re-arms itself from those stamps,
 * so a busy connection costs no timer churn.
 */
export class Heartbeat {
  private timer: TimerHandle | undefined;
  private lastSend = 0;
  private lastRecv = 0;
  private pingInterval = 0;
  private readTimeout = 0;

  constructor(
    private readonly clock: Clock,
    private readonly target: HeartbeatTarget,
  ) {}

  start(sessionTimeoutMs: number): void {
    this.stop();
    this.readTimeout = Math.floor((sessionTimeoutMs * 2) / 3);
    this.pingInterval = Math.floor(this.readTimeout / 2);
    const now = this.clock.now();
    this.lastSend = now;
    this.lastRecv = now;
    this.arm(this.pingInterval);
  }

  stop(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  sent(): void {
    this.lastSend = this.clock.now();
  }

  received(): void {
    this.lastRecv = this.clock.now();
  }

  private arm(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(1, ms));
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.clock.now();
    const idleRecv = now - this.lastRecv;
    if (idleRecv >= this.readTimeout) {
      this.target.onReadTimeout(idleRecv);
      return;
    }
    if (now - this.lastSend >= this.pingInterval) {
      this.lastSend = now;
      this.target.sendPing();
    }
    const untilPing = this.pingInterval - (now - this.lastSend);
    const untilDead = this.readTimeout - idleRecv;
    this.arm(Math.min(untilPing, untilDead));
  }
}
