/**
 * A one-line progress bar on stderr, so a long benchmark shows where it is
 * without polluting the table printed on stdout. On a terminal it redraws in
 * place (at most every 100 ms); on a pipe or in CI it prints a line each time
 * another cell of the bar fills, so logs stay short.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private lastFilled = -1;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly width = 30,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(label: string, n = 1): void {
    this.done = Math.min(this.total, this.done + n);
    const now = Date.now();
    const frac = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(frac * this.width);
    const finished = this.done === this.total;
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100 && !finished) return;
    } else if (filled === this.lastFilled && !finished) {
      return;
    }
    this.lastDraw = now;
    this.lastFilled = filled;
    const bar = '#'.repeat(filled) + '-'.repeat(this.width - filled);
    const secs = ((now - this.started) / 1000).toFixed(0);
    const line = `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${secs}s ${label}`;
    this.stream.write(this.stream.isTTY ? `\r${line.padEnd(100).slice(0, 100)}` : `${line}\n`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
