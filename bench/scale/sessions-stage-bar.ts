import { ProgressBar } from '../common/progress';
import { PART_BAR_STEPS } from './scale-types';

/**
 * A part's bar moved by stages: each stage owns a share of the PART_BAR_STEPS steps, and
 * `at(fraction)` moves the bar to that point of the current stage. Parts whose work is in
 * different units (sessions, tasks, records) still fill the bar once, in order.
 */
export class StageBar {
  private ticked = 0;
  private base = 0;
  private share = 0;
  private label = '';

  constructor(private readonly bar: ProgressBar) {}

  /** Starts a stage worth `share` steps (the shares of a part add up to PART_BAR_STEPS). */
  stage(label: string, share: number): void {
    this.at(1);
    this.base += this.share;
    this.share = share;
    this.label = label;
    this.move(this.base, label);
  }

  /** The current stage is `fraction` done; `detail` is shown after the stage's label. */
  at(fraction: number, detail?: string): void {
    const f = Math.min(1, Math.max(0, fraction));
    this.move(
      this.base + Math.floor(this.share * f),
      detail ? `${this.label}: ${detail}` : this.label,
    );
  }

  /** Fills what is left of the bar. */
  done(label: string): void {
    this.move(PART_BAR_STEPS, label);
  }

  private move(to: number, label: string): void {
    const target = Math.min(PART_BAR_STEPS, to);
    if (target > this.ticked) {
      this.bar.tick(label, target - this.ticked);
      this.ticked = target;
    }
  }
}
