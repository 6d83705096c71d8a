/**
 * What every section of docs/benchmarks.md hands back to the page: its markdown, the rows it
 * adds to the summary of targets, and the result files it was built from (for the machines list).
 */
import type { MachineInfo } from '../common/machine';

export type Status = 'met' | 'missed' | 'not run yet' | 'run the suite';

/** One line of the summary table: a target of the issue and what the last run measured. */
export interface TargetRow {
  area: string;
  target: string;
  measured: string;
  status: Status;
  command: string;
}

/** A result file a section read: where it came from and, when recorded, on what machine. */
export interface Source {
  file: string;
  when?: string;
  /** Older files have none; the scale benchmark writes its own, without `kernel`. */
  machine?: Partial<MachineInfo>;
}

export interface Section {
  title: string;
  markdown: string;
  targets: TargetRow[];
  sources: Source[];
  /** Commands behind the section beyond its targets' (a benchmark with no target of its own). */
  commands?: string[];
}

/** Where the results are read from and where the page and its charts go. */
export interface ReportContext {
  resultsDir: string;
  chartsDir: string;
  /** The charts directory as a link relative to the page. */
  chartsLink: string;
}
