/** Puts charts beside the page: the benchmarks' own SVGs copied, or ones drawn here. */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportContext } from './types';

/** Markdown for an image in the charts directory. */
const image = (ctx: ReportContext, name: string, alt: string) =>
  `![${alt}](${ctx.chartsLink}/${name})`;

/**
 * Copies `<results>/<name>` into the charts directory under the same name; answers the markdown
 * image, or undefined when the benchmark wrote no chart.
 */
export function copyChart(ctx: ReportContext, name: string, alt: string): string | undefined {
  const from = join(ctx.resultsDir, name);
  if (!existsSync(from)) return undefined;
  mkdirSync(ctx.chartsDir, { recursive: true });
  copyFileSync(from, join(ctx.chartsDir, name));
  return image(ctx, name, alt);
}

export function writeChart(ctx: ReportContext, name: string, svg: string, alt: string): string {
  mkdirSync(ctx.chartsDir, { recursive: true });
  writeFileSync(join(ctx.chartsDir, name), svg);
  return image(ctx, name, alt);
}
