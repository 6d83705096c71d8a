/**
 * Writes docs/benchmarks.md from the results the benchmarks left in bench/results:
 *
 *   npm run bench:report [-- --results bench/results --out docs/benchmarks.md]
 *
 * Charts go to a `charts` directory beside the page: the benchmarks' own SVGs copied, plus
 * ratio charts drawn here for the benchmarks that have none. A missing result is reported as
 * not run yet, with its command; nothing here holds a number of its own.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { header } from './header';
import { chaosSection } from './sections/chaos';
import { clientSection } from './sections/client';
import { coordinatorSection } from './sections/coordinator';
import { failoverSection } from './sections/failover';
import { featuresSection } from './sections/features';
import { fuzzSection } from './sections/fuzz';
import { latencySection } from './sections/latency';
import { restFuzzSection } from './sections/rest-fuzz';
import { scaleSection } from './sections/scale';
import { scalingSection } from './sections/scaling';
import { throughputSection } from './sections/throughput';
import { throughputProfileSection } from './sections/throughput-profile';
import type { ReportContext, Section } from './types';

function parseArgs(argv: string[]): { results: string; out: string } {
  const args = { results: 'bench/results', out: 'docs/benchmarks.md' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--results') args.results = value;
    else if (flag === '--out') args.out = value;
    else throw new Error(`unknown argument ${flag} (--results DIR, --out FILE)`);
  }
  return args;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const ctx: ReportContext = {
    resultsDir: args.results,
    chartsDir: join(dirname(args.out), 'charts'),
    chartsLink: 'charts',
  };
  const sections: Section[] = [
    throughputSection(ctx),
    throughputProfileSection(ctx),
    scalingSection(ctx),
    featuresSection(ctx),
    latencySection(ctx),
    failoverSection(ctx),
    scaleSection(ctx),
    coordinatorSection(ctx),
    clientSection(ctx),
    chaosSection(ctx),
    fuzzSection(ctx),
    restFuzzSection(),
  ];
  const page = [header(sections), ...sections.map((s) => `## ${s.title}\n\n${s.markdown}`)].join(
    '\n\n',
  );
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${page}\n`);
  const counts = sections.flatMap((s) => s.targets);
  process.stdout.write(
    `wrote ${args.out} (${counts.filter((t) => t.status === 'met').length} targets met, ` +
      `${counts.filter((t) => t.status === 'missed').length} missed, ` +
      `${counts.filter((t) => t.status === 'not run yet').length} not run yet) and ${ctx.chartsDir}/\n`,
  );
}

main();
