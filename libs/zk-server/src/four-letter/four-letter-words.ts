/**
 * The four-letter words (FourLetterCommands.java): each is recognised by reading the first four
 * bytes of a new connection as the big-endian length int of a frame, as NIOServerCnxn does.
 */
export const FOUR_LETTER_WORDS = [
  'conf',
  'cons',
  'crst',
  'dirs',
  'dump',
  'envi',
  'gtmk',
  'ruok',
  'stmk',
  'srst',
  'srvr',
  'stat',
  'wchc',
  'wchp',
  'wchs',
  'mntr',
  'isro',
  'hash',
] as const;

export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

/** The words this server can answer; the others are known (so refused) but not implemented. */
export const IMPLEMENTED_WORDS: readonly FourLetterWord[] = [
  'ruok',
  'srvr',
  'stat',
  'mntr',
  'cons',
  'crst',
  'srst',
  'wchs',
  'wchc',
  'wchp',
  'envi',
  'conf',
  'isro',
];

const BY_INT = new Map<number, FourLetterWord>(
  FOUR_LETTER_WORDS.map((w) => [Buffer.from(w, 'latin1').readInt32BE(0), w]),
);

/** The word whose four bytes, read as a big-endian int, are `int` (FourLetterCommands.isKnown). */
export function fourLetterWordOf(int: number): FourLetterWord | undefined {
  return BY_INT.get(int);
}

/** zoo.cfg `4lw.commands.whitelist`: a list of words, or '*' for every implemented word. */
export type FourLetterWhitelist = readonly string[] | '*';

/**
 * FourLetterCommands.isEnabled: '*' enables every word, otherwise the listed ones; `srvr` is
 * always enabled (zkServer.sh status depends on it), so the ZooKeeper 3.5+ default is `srvr` only.
 */
export function enabledWords(whitelist: FourLetterWhitelist): ReadonlySet<string> {
  const enabled = new Set<string>(['srvr']);
  const list = whitelist === '*' ? ['*'] : whitelist;
  for (const raw of list) {
    const word = raw.trim();
    if (word === '*') {
      for (const w of IMPLEMENTED_WORDS) enabled.add(w);
    } else if (word !== '') {
      enabled.add(word);
    }
  }
  return enabled;
}

/** NIOServerCnxn.checkFourLetterWord's answer to a word that is not whitelisted (ZOOKEEPER-2693). */
export function notWhitelistedAnswer(word: string): string {
  return `${word} is not executed because it is not in the whitelist.\n`;
}
