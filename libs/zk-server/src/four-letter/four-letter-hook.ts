import { ServerStats } from './server-stats';

/** What a client connection needs to answer four-letter words and keep the counters. */
export interface FourLetterHook {
  readonly stats: ServerStats;
  /** The text answering `word` (whitelist applied). */
  answer(word: string): string;
}
