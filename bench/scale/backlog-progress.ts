import { TaskQueueClient } from '@shepherd/taskqueue';
import { ProgressBar } from '../common/progress';
import { MasterProcess } from './backlog-cluster';
import { TimePoint } from './scale-types';

/** How often the queue's counts (and the masters' logs) are read while the part runs. */
const POLL_MS = 250;

/**
 * Where the backlog part stands: tasks submitted and finished over time (counts() reads the
 * number of /status records, not the records), the progress bar moved along, and the masters'
 * log tails taken in before they roll over.
 */
export class BacklogProgress {
  readonly submittedSeries: TimePoint[] = [];
  readonly completedSeries: TimePoint[] = [];
  completed = 0;
  private t0 = 0;
  private step = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private listener: ((completed: number) => void) | undefined;

  constructor(
    private readonly bar: ProgressBar,
    private readonly steps: number,
  ) {}

  watch(client: TaskQueueClient, t0: number, masters: MasterProcess[]): void {
    this.t0 = t0;
    this.timer = setInterval(() => {
      for (const m of masters) m.log.poll();
      if (this.polling) return;
      this.polling = client
        .counts()
        .then((c) => {
          this.completed = c.finished;
          this.completedSeries.push({ t: Date.now() - this.t0, v: c.finished });
          this.listener?.(c.finished);
        })
        .catch(() => undefined) // the next poll tries again
        .finally(() => (this.polling = undefined));
    }, POLL_MS);
  }

  submitted(total: number): void {
    this.submittedSeries.push({ t: Date.now() - this.t0, v: total });
  }

  onCompleted(listener: (completed: number) => void): void {
    this.listener = listener;
  }

  /** Moves the bar to `fraction` of the way (never back). */
  to(fraction: number, label: string): void {
    const target = Math.min(this.steps, Math.floor(fraction * this.steps));
    if (target > this.step) {
      this.bar.tick(label, target - this.step);
      this.step = target;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }
}
