/** The section for a benchmark with no result file yet: what to run, and its targets unmeasured. */
import type { Section, TargetRow } from '../types';

export function notRunSection(
  title: string,
  file: string,
  command: string,
  targets: Pick<TargetRow, 'area' | 'target'>[] = [],
): Section {
  return {
    title,
    markdown: `Not run yet: \`${command}\` (writes \`bench/results/${file}\`).`,
    targets: targets.map((t) => ({ ...t, measured: '-', status: 'not run yet', command })),
    sources: [],
  };
}
