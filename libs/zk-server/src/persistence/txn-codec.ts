import {
  ACL,
  JuteDecodeError,
  JuteEncodeError,
  JuteReader,
  JuteWriter,
  OpCode,
  readACLList,
  writeACLList,
} from '@shepherd/zk-protocol';
import { Txn, TxnHeader } from '../txn/txn';

/**
 * Binary form of a logged transaction: the jute TxnHeader followed by the jute record of its txn,
 * exactly the classes of the `org.apache.zookeeper.txn` module in zookeeper.jute, in the order
 * SerializeUtils.deserializeTxn reads them (ZooKeeper 3.8, without the optional TxnDigest).
 *
 *   TxnHeader          long clientId, int cxid, long zxid, long time, int type
 *   then, chosen by TxnHeader.type (or Txn.type inside a multi):
 *   create / create2   CreateTxn          ustring path, buffer data, vector<ACL> acl,
 *                                         boolean ephemeral, int parentCVersion
 *   createContainer    CreateContainerTxn ustring path, buffer data, vector<ACL> acl,
 *                                         int parentCVersion
 *   createTTL          CreateTTLTxn       ustring path, buffer data, vector<ACL> acl,
 *                                         int parentCVersion, long ttl
 *   delete /
 *   deleteContainer    DeleteTxn          ustring path
 *   setData            SetDataTxn         ustring path, buffer data, int version
 *   setACL             SetACLTxn          ustring path, vector<ACL> acl, int version
 *   check              CheckVersionTxn    ustring path, int version
 *   createSession      CreateSessionTxn   int timeOut
 *   closeSession       CloseSessionTxn    vector<ustring> paths2Delete
 *   error              ErrorTxn           int err
 *   multi              MultiTxn           vector<Txn>, Txn = int type, buffer data (the
 *                                         inner record, encoded as above)
 *
 * ACL is `int perms, ustring scheme, ustring id`. Everything is big-endian; strings and buffers
 * are int-length prefixed (-1 = null).
 */

/** Writes header + txn into `w` (which may already hold other records: the log batches them). */
export function writeTxn(w: JuteWriter, header: TxnHeader, txn: Txn): void {
  if (header.type !== txn.type && !(header.type === OpCode.create2 && txn.type === OpCode.create)) {
    throw new JuteEncodeError(`TxnHeader.type ${header.type} does not match txn type ${txn.type}`);
  }
  writeLong(w, header.clientId);
  w.writeInt(header.cxid);
  writeLong(w, header.zxid);
  writeLong(w, header.time);
  w.writeInt(header.type);
  writeTxnBody(w, txn);
}

const TWO_32 = 4294967296;

/**
 * A jute long, as two ints when it is below 2^53 (zxids, times, most session ids): the same
 * bytes as JuteWriter.writeLong without the bigint arithmetic of Buffer.writeBigInt64BE.
 */
function writeLong(w: JuteWriter, value: bigint): void {
  const n = Number(value);
  if (Number.isSafeInteger(n)) {
    const hi = Math.floor(n / TWO_32);
    w.writeInt(hi).writeInt((n - hi * TWO_32) | 0);
  } else {
    w.writeLong(value);
  }
}

/** Encodes one txn record to a fresh buffer (tests, tools; the log encodes in place). */
export function encodeTxn(header: TxnHeader, txn: Txn): Buffer {
  const w = new JuteWriter();
  writeTxn(w, header, txn);
  return w.toBuffer();
}

/** Decodes exactly one header + txn; trailing bytes are an error. */
export function decodeTxn(buf: Buffer): { header: TxnHeader; txn: Txn } {
  return new TxnDecoder().decode(buf);
}

/**
 * Decodes many txns, as recovery replays a log: with `views`, each txn's data is a view of the
 * record's bytes, not a copy (for a consumer that copies what it keeps, as the DataTree does;
 * the bytes must not be reused before the txn is applied); and an ACL list encoded as the last
 * one was is returned as the same frozen array without decoding it again (a log holds a
 * million creates with the same ACL).
 */
export class TxnDecoder {
  private lastAcl: { bytes: Buffer; acl: ACL[] } | null = null;

  constructor(private readonly options: { views?: boolean } = {}) {}

  decode(buf: Buffer): { header: TxnHeader; txn: Txn } {
    const r = new JuteReader(buf);
    const header: TxnHeader = {
      clientId: r.readLong(),
      cxid: r.readInt(),
      zxid: r.readLong(),
      time: r.readLong(),
      type: r.readInt() as OpCode,
    };
    const txn = readTxnBody(r, header.type, this);
    if (r.remaining !== 0) {
      throw new JuteDecodeError(`${r.remaining} unexpected bytes after the txn`, r.offset);
    }
    return { header, txn };
  }

  /** @internal */
  readData(r: JuteReader): Buffer | null {
    return this.options.views ? r.readBufferView() : r.readBuffer();
  }

  /** @internal */
  readAcl(r: JuteReader): ACL[] {
    const last = this.lastAcl;
    if (last !== null && r.peekEquals(last.bytes)) {
      r.skip(last.bytes.length);
      return last.acl;
    }
    const at = r.offset;
    const acl = readACLList(r);
    for (const entry of acl) {
      Object.freeze(entry.id);
      Object.freeze(entry);
    }
    this.lastAcl = { bytes: r.copyFrom(at), acl: Object.freeze(acl) as ACL[] };
    return acl;
  }
}

function writeTxnBody(w: JuteWriter, txn: Txn): void {
  switch (txn.type) {
    case OpCode.create:
      w.writeString(txn.path).writeBuffer(txn.data);
      writeACLList(w, txn.acl);
      w.writeBool(txn.ephemeral).writeInt(txn.parentCVersion);
      return;
    case OpCode.createContainer:
      w.writeString(txn.path).writeBuffer(txn.data);
      writeACLList(w, txn.acl);
      w.writeInt(txn.parentCVersion);
      return;
    case OpCode.createTTL:
      w.writeString(txn.path).writeBuffer(txn.data);
      writeACLList(w, txn.acl);
      w.writeInt(txn.parentCVersion);
      writeLong(w, txn.ttl);
      return;
    case OpCode.delete:
    case OpCode.deleteContainer:
      w.writeString(txn.path);
      return;
    case OpCode.setData:
      w.writeString(txn.path).writeBuffer(txn.data).writeInt(txn.version);
      return;
    case OpCode.setACL:
      w.writeString(txn.path);
      writeACLList(w, txn.acl);
      w.writeInt(txn.version);
      return;
    case OpCode.check:
      w.writeString(txn.path).writeInt(txn.version);
      return;
    case OpCode.createSession:
      w.writeInt(txn.timeOut);
      return;
    case OpCode.closeSession:
      w.writeVector(txn.paths2Delete, (ww, p) => ww.writeString(p));
      return;
    case OpCode.error:
      w.writeInt(txn.err);
      return;
    case OpCode.multi:
      w.writeInt(txn.txns.length);
      for (const sub of txn.txns) {
        // Txn{int type, buffer data}: the inner record is written in place and its buffer length
        // patched afterwards, so a multi costs no intermediate buffer per sub-txn.
        w.writeInt(sub.type);
        const lengthAt = w.length;
        w.writeInt(0);
        writeTxnBody(w, sub);
        w.toBuffer().writeInt32BE(w.length - lengthAt - 4, lengthAt);
      }
      return;
    default:
      throw new JuteEncodeError(`no txn record for op ${(txn as { type: number }).type}`);
  }
}

function readPath(r: JuteReader): string {
  const at = r.offset;
  const s = r.readString();
  if (s === null) {
    throw new JuteDecodeError('null path in txn', at);
  }
  return s;
}

function readTxnBody(r: JuteReader, type: OpCode, d: TxnDecoder): Txn {
  switch (type) {
    case OpCode.create:
    case OpCode.create2:
      return {
        type: OpCode.create,
        path: readPath(r),
        data: d.readData(r),
        acl: d.readAcl(r),
        ephemeral: r.readBool(),
        parentCVersion: r.readInt(),
      };
    case OpCode.createContainer:
      return {
        type,
        path: readPath(r),
        data: d.readData(r),
        acl: d.readAcl(r),
        parentCVersion: r.readInt(),
      };
    case OpCode.createTTL:
      return {
        type,
        path: readPath(r),
        data: d.readData(r),
        acl: d.readAcl(r),
        parentCVersion: r.readInt(),
        ttl: r.readLong(),
      };
    case OpCode.delete:
    case OpCode.deleteContainer:
      return { type, path: readPath(r) };
    case OpCode.setData:
      return { type, path: readPath(r), data: d.readData(r), version: r.readInt() };
    case OpCode.setACL:
      return { type, path: readPath(r), acl: d.readAcl(r), version: r.readInt() };
    case OpCode.check:
      return { type, path: readPath(r), version: r.readInt() };
    case OpCode.createSession:
      return { type, timeOut: r.readInt() };
    case OpCode.closeSession:
      return { type, paths2Delete: r.readVector(readPath) ?? [] };
    case OpCode.error:
      return { type, err: r.readInt() };
    case OpCode.multi: {
      const txns =
        r.readVector((rr) => {
          const subType = rr.readInt() as OpCode;
          const at = rr.offset;
          // Decoded here and dropped: a view, not a copy (the sub-txn's own data is copied).
          const data = rr.readBufferView();
          if (data === null) {
            throw new JuteDecodeError('null Txn.data in multi', at);
          }
          const sub = new JuteReader(data);
          const txn = readTxnBody(sub, subType, d);
          if (sub.remaining !== 0) {
            throw new JuteDecodeError(`${sub.remaining} unexpected bytes in a multi's Txn`, at);
          }
          return txn;
        }) ?? [];
      return { type, txns };
    }
    default:
      throw new JuteDecodeError(`no txn record for op ${type as number}`, r.offset);
  }
}
