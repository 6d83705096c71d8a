/** Wire fuzzing of the coordinator: malformed and hostile frames beside a well-behaved client. */
import { markdownTable } from '../../common/table';
import { commandLine } from '../command';
import { num, status } from '../format';
import { readResult } from '../results';
import type { ReportContext, Section, TargetRow } from '../types';
import { notRunSection } from './not-run';

const TITLE = 'Wire fuzzing of the coordinator';
const OUT = 'bench/results/fuzz-coordinator.json';
const AREA = 'wire fuzz';
const FRAMES_TARGET = 1_000_000;

interface FuzzJson {
  args: Record<string, unknown>;
  frames: number;
  seconds: number;
  framesPerSec: number;
  connections: { opened: number; closedByServer: number; refused: number; hung: number };
  replies: number;
  notifications: number;
  crashes: number;
  crash: string | null;
  wellBehavedRounds: number;
  wellBehavedErrors: number;
  invalidReplies: number;
  hung: number;
  serverUnexpectedErrors: number | null;
  serverFrameLengthCloses: number | null;
  serverRssBeforeBytes: number | null;
  serverRssAfterBytes: number | null;
  mutations: Record<string, number>;
}

const mib = (b: number | null) => (b === null ? 'n/a' : `${(b / 1048576).toFixed(0)} MiB`);

export function fuzzSection(ctx: ReportContext): Section {
  const r = readResult<FuzzJson>(ctx.resultsDir, 'fuzz-coordinator.json');
  const missing = `npm run fuzz:coordinator -- --frames ${FRAMES_TARGET}`;
  if (!r)
    return notRunSection(TITLE, 'fuzz-coordinator.json', missing, [
      { area: AREA, target: `>= ${num(FRAMES_TARGET)} frames, 0 crashes` },
      { area: AREA, target: '0 well-behaved client errors' },
    ]);
  const d = r.data;
  const command = commandLine('fuzz:coordinator', d.args, { defaultOut: OUT });
  const row = (target: string, measured: string, met: boolean): TargetRow => ({
    area: AREA,
    target,
    measured,
    status: status(met),
    command,
  });
  const targets = [
    row(`>= ${num(FRAMES_TARGET)} frames`, `${num(d.frames)} frames`, d.frames >= FRAMES_TARGET),
    row('0 server crashes', String(d.crashes), d.crashes === 0),
    row('0 well-behaved client errors', String(d.wellBehavedErrors), d.wellBehavedErrors === 0),
    row(
      '0 invalid replies, 0 hung connections',
      `${d.invalidReplies} invalid, ${d.hung} hung`,
      d.invalidReplies === 0 && d.hung === 0,
    ),
  ];
  const table = markdownTable(
    ['', ''],
    [
      ['frames sent', `${num(d.frames)} in ${d.seconds.toFixed(1)} s (${num(d.framesPerSec)}/s)`],
      [
        'connections opened / closed by the server',
        `${num(d.connections.opened)} / ${num(d.connections.closedByServer)}`,
      ],
      ['connections refused / hung', `${d.connections.refused} / ${d.connections.hung}`],
      ['replies / notifications', `${num(d.replies)} / ${num(d.notifications)}`],
      ['invalid replies', String(d.invalidReplies)],
      ['server crashes', d.crash ? `${d.crashes} (${d.crash})` : String(d.crashes)],
      ['server unexpected errors', String(d.serverUnexpectedErrors ?? 'n/a')],
      ['server closes for a bad frame length', String(d.serverFrameLengthCloses ?? 'n/a')],
      [
        'well-behaved client rounds / errors',
        `${num(d.wellBehavedRounds)} / ${d.wellBehavedErrors}`,
      ],
      [
        'server RSS before / after',
        `${mib(d.serverRssBeforeBytes)} / ${mib(d.serverRssAfterBytes)}`,
      ],
    ],
  );
  const mutations = Object.entries(d.mutations)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${num(n)}`)
    .join(', ');
  const failed = targets.filter((t) => t.status !== 'met').map((t) => t.target);
  const markdown = [
    'Random and mutated frames on many connections against the embedded server in a child ' +
      'process (so a crash shows as its exit), while a well-behaved client keeps working ' +
      'beside the fuzzers and checks every answer.',
    table,
    `Frames by kind: ${mutations}.`,
    failed.length === 0 ? 'Every fuzzing target is met.' : `Missed: ${failed.join('; ')}.`,
    `Command: \`${command}\` (the seed replays the same frames).`,
  ];
  return { title: TITLE, markdown: markdown.join('\n\n'), targets, sources: [r.source] };
}
