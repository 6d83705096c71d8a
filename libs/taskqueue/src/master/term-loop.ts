import { Clock, TimerHandle } from '@shepherd/zk-client';
import { FenceError } from '../store/batch-committer';

/** What a TermLoop needs from the leadership term it runs in. */
export interface TermLoopContext {
  /** False once the term ended: no pass starts after that. */
  readonly active: boolean;
  readonly options: {
    readonly clock: Clock;
    readonly logger: { warn(obj: object, msg?: string): void };
  };
}

export interface TermLoopOptions {
  /** Names the pass in the warning when one fails: `<name> pass failed`. */
  name: string;
  /** One pass; resolves with the delay until the next one (ms). */
  pass: () => Promise<number>;
  /** The delay until the next pass after one failed (ms). */
  afterErrorMs: () => number;
  /** The term lost its leadership (a fenced multi failed): the leader steps down. */
  onFenceError: (err: FenceError) => void;
}

/**
 * One periodic pass run by the leader for one term (the scheduler, retention): a timer re-armed
 * after each pass, so passes never overlap. A FenceError ends the term (onFenceError); any other
 * failure is logged and the next pass tries again, so one transient error does not stop the
 * work for the rest of the term.
 */
export class TermLoop {
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private halted = false;

  constructor(
    private readonly term: TermLoopContext,
    private readonly options: TermLoopOptions,
  ) {}

  /** True once stopped or once the term ended: a pass in progress should give up early. */
  get stopped(): boolean {
    return this.halted || !this.term.active;
  }

  /** Runs the first pass after `firstDelayMs`. */
  start(firstDelayMs: number): void {
    this.arm(firstDelayMs);
  }

  stop(): void {
    this.halted = true;
    if (this.timer !== undefined) this.term.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when a pass in progress has finished. */
  async idle(): Promise<void> {
    await this.running;
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    const { clock, logger } = this.term.options;
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      let next: number | undefined;
      this.running = this.options
        .pass()
        .then((ms) => {
          next = ms;
        })
        .catch((err: unknown) => {
          if (err instanceof FenceError) this.options.onFenceError(err);
          else if (this.term.active)
            logger.warn({ err: (err as Error).message }, `${this.options.name} pass failed`);
        })
        .finally(() => {
          this.running = undefined;
          this.arm(next ?? this.options.afterErrorMs());
        });
    }, ms);
  }
}
