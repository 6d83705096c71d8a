import { JuteDecodeError } from '../errors/protocol-errors';
import { JuteReader } from '../jute-reader';

/**
 * A vector<ustring> already in its wire form (BinaryOutputArchive: each string as a 4-byte
 * big-endian UTF-8 length, then its bytes; the count is kept apart). A server answers a child
 * list straight from the bytes it keeps the names in: a list of thousands costs one copy, not a
 * string per name made only to be encoded again. toArray() reads the strings back.
 */
export class EncodedStringList {
  constructor(
    readonly count: number,
    /** The strings, length-prefixed, without the count. */
    readonly bytes: Buffer,
  ) {}

  toArray(): string[] {
    const r = new JuteReader(this.bytes);
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) {
      const offset = r.offset;
      const s = r.readString();
      if (s === null) throw new JuteDecodeError('unexpected null ustring in a list', offset);
      out[i] = s;
    }
    return out;
  }
}

/** A child list as a response holds it: decoded strings, or the encoded form a server made. */
export type StringList = string[] | EncodedStringList;

/** The strings of a list, whichever form it is in. */
export function stringsOf(list: StringList): string[] {
  return list instanceof EncodedStringList ? list.toArray() : list;
}
