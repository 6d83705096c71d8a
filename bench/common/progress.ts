/**
 * A one-line progress bar on stderr, so a long benchmark shows where it is
 * without polluting the table printed on stdout.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly width = 30,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(label: string, n = 1): void {
    this.done = Math.min(this.total, this.done + n);
    const now = Date.now();
    if (now - this.lastDraw < 100 && this.done < this.total) return;
    this.lastDraw = now;
    const frac = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(frac * this.width);
    const bar = '#'.repeat(filled) + '-'.repeat(this.width - filled);
    const secs = ((now - this.started) / 1000).toFixed(0);
    const line = `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${secs}s ${label}`;
    if (this.stream.isTTY) this.stream.write(`\r${line.padEnd(100).slice(0, 100)}`);
    else if (
      this.done === this.total ||
      filled !== Math.round(((this.done - n) / this.total) * this.width)
    )
      this.stream.write(`${line}\n`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
