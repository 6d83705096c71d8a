/**
 * What the scale benchmark's parts share: the parsed command line, one table row and one part's
 * result. Each part (backlog, sessions, retention) lives in its own file and exports
 * `run<Part>(args: ScaleArgs, bar: ProgressBar): Promise<PartResult>`; main.ts runs the ones
 * asked for, prints their rows as one table and writes them all into one JSON file.
 */

export type PartName = 'backlog' | 'sessions' | 'retention';

export const PART_NAMES: readonly PartName[] = ['backlog', 'sessions', 'retention'];

export interface ScaleArgs {
  /** Shrinks every part (e.g. 10,000 tasks instead of 100,000) for dev runs. */
  quick: boolean;
  /** Seeds whatever a part randomises, so two runs do the same work. */
  seed: number;
  /** Parts to run, in this order. */
  parts: PartName[];
  /** Tasks queued by the backlog part (100,000; 10,000 with --quick unless given). */
  tasks: number;
  /** Where the JSON goes; the SVG is written beside it. */
  out: string;
}

export interface ScaleRow {
  part: string;
  metric: string;
  value: string;
  /** e.g. '<= 256 MB'; absent for figures reported without a target. */
  target?: string;
  /** Whether value meets target; absent when there is no target. */
  met?: boolean;
}

export interface PartResult {
  part: PartName;
  rows: ScaleRow[];
  /** Everything measured, for the JSON file (samples, per-process figures, settings). */
  raw: unknown;
  /** Wall-clock time the part took. */
  seconds: number;
}

/**
 * main.ts hands each part its own ProgressBar of this many steps: a part ticks it as its work
 * advances (bar.tick(label, n)) and reaches the total when done, whatever its own unit of work.
 */
export const PART_BAR_STEPS = 100;

/** One sample of a time series: ms since the part started, and the value then. */
export interface TimePoint {
  t: number;
  v: number;
}

/** The backlog part's time series, drawn by report.ts (its raw JSON carries them as `series`). */
export interface BacklogSeries {
  /** RSS in MB per master process, keyed by a label such as 'master-a (first leader)'. */
  rssMB: Record<string, TimePoint[]>;
  /** Tasks acknowledged by submitMany, cumulative. */
  submitted: TimePoint[];
  /** Tasks completed, cumulative. */
  completed: TimePoint[];
  /** Moments worth marking on the charts (workers started, leader killed, backup elected). */
  events: { t: number; label: string }[];
}
