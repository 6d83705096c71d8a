import { JuteDecodeError } from '../errors/protocol-errors';
import { JuteReader } from '../jute-reader';
import { JuteWriter } from '../jute-writer';
import type { EncodedStringList } from './encoded-string-list';

// Jute ustrings, buffers and vectors are all nullable on the wire, but most fields are never
// null in practice. These helpers decide, in one place, what a null means for a field that is
// typed without null in TypeScript.

/** A ustring field that must be present (paths, schemes): null is a decode error. */
export function readRequiredString(r: JuteReader, field: string): string {
  const offset = r.offset;
  const value = r.readString();
  if (value === null) {
    throw new JuteDecodeError(`unexpected null ustring for ${field}`, offset);
  }
  return value;
}

/** A vector<ustring>; null and empty mean the same thing to every ZooKeeper caller. */
export function readStringList(r: JuteReader): string[] {
  return r.readVector((rr) => readRequiredString(rr, 'vector<ustring> element')) ?? [];
}

export function writeStringList(w: JuteWriter, items: readonly string[] | EncodedStringList): void {
  if ('bytes' in items) w.writeInt(items.count).writeBytes(items.bytes);
  else w.writeVector(items, (ww, s) => ww.writeString(s));
}

/** A buffer field typed as Buffer (passwords, auth tokens): null decodes as empty. */
export function readBufferOrEmpty(r: JuteReader): Buffer {
  return r.readBuffer() ?? Buffer.alloc(0);
}
