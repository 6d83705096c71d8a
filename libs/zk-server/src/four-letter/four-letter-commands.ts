import { FourLetterContext } from './four-letter-context';
import { formatConf } from './format-conf';
import { formatEnvi } from './format-envi';
import { formatMntr } from './format-mntr';
import { ZK_NOT_SERVING, formatCons, formatStat } from './format-stat';
import { formatWchc, formatWchp, formatWchs } from './format-watches';
import { FourLetterWhitelist, enabledWords, notWhitelistedAnswer } from './four-letter-words';

/**
 * CommandExecutor + the command classes: the text answering one four-letter word. The caller
 * writes it and closes the connection.
 */
export class FourLetterCommands {
  private readonly enabled: ReadonlySet<string>;

  constructor(
    private readonly ctx: FourLetterContext,
    whitelist: FourLetterWhitelist,
  ) {
    this.enabled = enabledWords(whitelist);
  }

  isEnabled(word: string): boolean {
    return this.enabled.has(word);
  }

  answer(word: string): string {
    if (!this.enabled.has(word)) return notWhitelistedAnswer(word);
    const ctx = this.ctx;
    switch (word) {
      case 'ruok':
        return 'imok';
      case 'srvr':
        return formatStat(ctx, false);
      case 'stat':
        return formatStat(ctx, true);
      case 'mntr':
        return formatMntr(ctx);
      case 'cons':
        return formatCons(ctx);
      case 'wchs':
        return formatWchs(ctx);
      case 'wchc':
        return formatWchc(ctx);
      case 'wchp':
        return formatWchp(ctx);
      case 'envi':
        return formatEnvi(ctx.version);
      case 'conf':
        return formatConf(ctx);
      case 'isro':
        // IsroCommand: "null" when not running, never "ro" (no read-only mode here).
        return ctx.serving ? 'rw' : 'null';
      case 'crst':
        if (!ctx.serving) return ZK_NOT_SERVING;
        for (const c of ctx.connections()) c.stats.reset();
        return 'Connection stats reset.\n';
      case 'srst':
        if (!ctx.serving) return ZK_NOT_SERVING;
        ctx.stats.reset();
        return 'Server stats reset.\n';
      default:
        // Whitelisted by name but not implemented (dump, dirs, gtmk, stmk, hash).
        return notWhitelistedAnswer(word);
    }
  }
}
