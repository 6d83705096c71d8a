import { FourLetterContext } from './four-letter-context';
import { ZK_NOT_SERVING } from './format-stat';
import { javaHex } from './java-format';

/** wchs (WatchManager.toString + WatchCommand's println). */
export function formatWchs(ctx: FourLetterContext): string {
  if (!ctx.serving) return ZK_NOT_SERVING;
  const s = ctx.watchSummary();
  return (
    `${s.numConnections} connections watching ${s.numPaths} paths\n` +
    `Total watches:${s.totalWatches}\n`
  );
}

/** wchc (WatchManager.dumpWatches byPath=false): "0x<sid>" then "\t<path>" lines. */
export function formatWchc(ctx: FourLetterContext): string {
  if (!ctx.serving) return ZK_NOT_SERVING;
  let out = '';
  for (const [sid, paths] of ctx.watchesBySession()) {
    out += `0x${javaHex(sid)}\n`;
    for (const path of paths) out += `\t${path}\n`;
  }
  return `${out}\n`;
}

/** wchp (WatchManager.dumpWatches byPath=true): "<path>" then "\t0x<sid>" lines. */
export function formatWchp(ctx: FourLetterContext): string {
  if (!ctx.serving) return ZK_NOT_SERVING;
  let out = '';
  for (const [path, sids] of ctx.watchesByPath()) {
    out += `${path}\n`;
    for (const sid of sids) out += `\t0x${javaHex(sid)}\n`;
  }
  return `${out}\n`;
}
