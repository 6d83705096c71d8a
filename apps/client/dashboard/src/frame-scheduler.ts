/**
 * Coalesces redraws: any number of changes between two frames cost one render of each part
 * that changed. A hidden tab gets no animation frames, so a timer stands in for them there,
 * which keeps the work bounded however fast events arrive.
 */
export class FrameScheduler<Part extends string> {
  private dirty = new Set<Part>();
  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Gets the parts to draw; it may add parts to the set, and mark() again for the next frame. */
    private readonly render: (parts: Set<Part>) => void,
    private readonly hiddenDelayMs = 500,
  ) {}

  mark(...parts: Part[]): void {
    for (const p of parts) this.dirty.add(p);
    if (this.frame !== undefined || this.dirty.size === 0) return;
    this.frame = requestAnimationFrame(this.flush);
    this.timer = setTimeout(this.flush, this.hiddenDelayMs);
  }

  private readonly flush = (): void => {
    if (this.frame === undefined) return;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.frame = undefined;
    const parts = this.dirty;
    this.dirty = new Set();
    this.render(parts);
  };
}
