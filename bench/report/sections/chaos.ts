/** The chaos suite's results (test:chaos --out), one file per run: nothing lost or duplicated. */
import type { ChaosResult } from '../../../test/chaos/chaos-run';
import { markdownTable } from '../../common/table';
import { commandLine } from '../command';
import { countOf, num, status } from '../format';
import { readResults } from '../results';
import type { ReportContext, Section, TargetRow } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'Chaos';
const AREA = 'chaos';

interface ChaosJson {
  args: Record<string, unknown>;
  results: ChaosResult[];
}

const clean = (c: ChaosResult) =>
  c.lost === 0 && c.duplicated === 0 && c.zombieWritesLanded === 0 && c.violations.length === 0;

const faults = (c: ChaosResult) =>
  `${c.faultsInjected} (${Object.entries(c.faultsByKind)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ')})`;

export function chaosSection(ctx: ReportContext): Section {
  const files = readResults<ChaosJson>(ctx.resultsDir, 'chaos-');
  if (files.length === 0)
    return notRunSection(
      TITLE,
      'chaos-embedded.json',
      'npm run test:chaos -- --tasks 20000 --faults 30 --rate 150 --seed 7 --out bench/results/chaos-embedded.json',
      [{ area: AREA, target: '0 tasks lost, 0 duplicated, 0 zombie writes landed' }],
    );
  const targets: TargetRow[] = [];
  const cells: string[][] = [];
  for (const f of files) {
    const command = commandLine('test:chaos', f.data.args);
    for (const c of f.data.results) {
      cells.push([
        `\`${command}\``,
        c.target,
        num(c.tasks),
        faults(c),
        String(c.lost),
        String(c.duplicated),
        `${c.zombieWritesLanded} (${c.zombieWritesAttempted})`,
        String(c.historyMismatches),
        `${(c.durationMs / 1000).toFixed(1)} s`,
      ]);
      targets.push({
        area: AREA,
        target: `${c.target}, ${num(c.tasks)} tasks, ${c.faultsInjected} faults: 0 lost, 0 duplicated`,
        measured:
          `${c.lost} lost, ${c.duplicated} duplicated, ${c.zombieWritesLanded} zombie writes` +
          (c.violations.length > 0 ? `, ${c.violations.length} violations` : ''),
        status: status(clean(c)),
        command,
      });
    }
  }
  const runs = files.flatMap((f) => f.data.results);
  const markdown = [
    'A real multi-process cluster under a steady stream of tasks, with seeded faults (workers ' +
      'killed and frozen, the leading master killed, the coordinator or ZooKeeper servers ' +
      'killed); then every invariant is checked: each accepted task has exactly one terminal ' +
      'record, none is lost, no completion is recorded twice, no zombie write landed, and ' +
      'histories match events.',
    markdownTable(
      [
        'command',
        'target',
        'tasks',
        'faults',
        'lost',
        'duplicated',
        'zombie writes landed (attempted)',
        'history mismatches',
        'time',
      ],
      cells,
    ),
    `${countOf(runs.filter(clean).length, runs.length)} runs hold every invariant.`,
  ];
  return {
    title: TITLE,
    markdown: markdown.join('\n\n'),
    targets,
    sources: files.map((f) => f.source),
  };
}
