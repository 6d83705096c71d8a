import { FourLetterWord, fourLetterWordOf } from './four-letter-words';

export type SniffResult =
  { kind: 'word'; word: FourLetterWord } | { kind: 'frames'; bytes: Buffer } | { kind: 'more' };

/**
 * Looks at the first four bytes of a connection (NIOServerCnxn.readLength: before the session is
 * initialized, a length int equal to a known word is that command). Bytes may arrive one at a
 * time (telnet), so up to four are held back; anything else is handed on unchanged.
 */
export class FourLetterSniffer {
  private held: Buffer | undefined;
  private decided = false;

  push(chunk: Buffer): SniffResult {
    if (this.decided) return { kind: 'frames', bytes: chunk };
    const bytes = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    if (bytes.length < 4) {
      this.held = bytes;
      return { kind: 'more' };
    }
    this.held = undefined;
    this.decided = true;
    const word = fourLetterWordOf(bytes.readInt32BE(0));
    return word ? { kind: 'word', word } : { kind: 'frames', bytes };
  }
}
