import { DEFAULT_MAX_FRAME, JuteWriter, OpCode, encodeFrame } from '@shepherd/zk-protocol';
import { Prng } from './prng';

/**
 * What one fuzz step puts on the wire. `chunks` are written one by one (a frame split across
 * TCP segments, or several glued together). `framed` says whether the server will see exactly
 * the frame boundaries the generator intended (true unless the length prefix lies), so a
 * checker knows whether it can still predict the xids of the replies.
 */
export interface FuzzChunk {
  chunks: Buffer[];
  framed: boolean;
  /** Short label of the mutation, for statistics and reproduction. */
  kind: string;
}

const HEADER = 4;

/** Re-frames a body with an honest length prefix. */
function frame(body: Buffer): Buffer {
  return encodeFrame(body);
}

function bodyOf(framed: Buffer): Buffer {
  return framed.subarray(HEADER);
}

/** Opcodes no ZooKeeper 3.8 server accepts from a client, or that this codec cannot read. */
export const ODD_OPCODES: readonly number[] = [
  0, 10, 16, 20, 23, 24, 99, 102, 108, 1000, -10, -11, -1, -2, 0x7fffffff, -0x80000000,
];

/** The reserved xids (ClientCnxn) and boundary values. */
const ODD_XIDS: readonly number[] = [-1, -2, -4, -8, 0, 0x7fffffff, -0x80000000, -3];

/** Ints to write where a length (string, buffer, vector) is expected. */
function lyingLength(rng: Prng, remaining: number): number {
  return rng.pick([-2, -1, -0x80000000, 0x7fffffff, 0x10000000, remaining + 1, remaining - 1, 0]);
}

/** Invalid UTF-8 sequences (overlong, lone continuation, truncated, surrogates, 0xff). */
const BAD_UTF8: readonly Buffer[] = [
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0x80]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  Buffer.from([0x2f, 0x66, 0x7a, 0x2f, 0xc3]),
];

/** Applies one random mutation to a framed, valid request (length prefix included). */
export function mutate(rng: Prng, valid: Buffer, maxFrame = DEFAULT_MAX_FRAME): FuzzChunk {
  const body = Buffer.from(bodyOf(valid));
  switch (rng.int(12)) {
    case 0: {
      const n = 1 + rng.int(4);
      for (let i = 0; i < n && body.length > 0; i++) body[rng.int(body.length)] ^= 1 << rng.int(8);
      return { chunks: [frame(body)], framed: true, kind: 'bit-flip' };
    }
    case 1: {
      const n = 1 + rng.int(4);
      for (let i = 0; i < n && body.length > 0; i++) body[rng.int(body.length)] = rng.int(256);
      return { chunks: [frame(body)], framed: true, kind: 'byte-set' };
    }
    case 2:
      return {
        chunks: [frame(body.subarray(0, rng.int(body.length + 1)))],
        framed: true,
        kind: 'truncate',
      };
    case 3:
      return {
        chunks: [frame(Buffer.concat([body, rng.bytes(rng.range(1, 64))]))],
        framed: true,
        kind: 'extend',
      };
    case 4:
      return lengthLie(rng, body, maxFrame);
    case 5:
      if (body.length >= 8)
        body.writeInt32BE(rng.chance(0.7) ? rng.pick(ODD_OPCODES) : rng.int32(), 4);
      return { chunks: [frame(body)], framed: true, kind: 'opcode' };
    case 6:
      if (body.length >= 4) body.writeInt32BE(rng.pick(ODD_XIDS), 0);
      return { chunks: [frame(body)], framed: true, kind: 'xid' };
    case 7: {
      // A length field somewhere after the header: any 4-aligned int past it may be one.
      if (body.length >= 12) {
        const at = 8 + rng.int(body.length - 11);
        body.writeInt32BE(lyingLength(rng, body.length - at - 4), at);
      }
      return { chunks: [frame(body)], framed: true, kind: 'length-field' };
    }
    case 8:
      return { chunks: split(rng, frame(body)), framed: true, kind: 'split' };
    case 9:
      return {
        chunks: [frame(rng.bytes(rng.int(rng.chance(0.9) ? 64 : 4096)))],
        framed: true,
        kind: 'random-body',
      };
    case 10:
      return { chunks: [badUtf8Frame(rng)], framed: true, kind: 'bad-utf8' };
    default:
      return { chunks: [hostileFrame(rng)], framed: true, kind: 'hostile' };
  }
}

/** Length prefixes that do not match the body: the stream cannot be resynchronised after. */
function lengthLie(rng: Prng, body: Buffer, maxFrame: number): FuzzChunk {
  const prefix = Buffer.alloc(HEADER);
  const lie = rng.pick([
    -1,
    -0x80000000,
    0x7fffffff,
    maxFrame + 1,
    body.length + 1,
    Math.max(0, body.length - 1),
    0,
    rng.int(maxFrame),
  ]);
  prefix.writeInt32BE(lie, 0);
  return { chunks: [Buffer.concat([prefix, body])], framed: false, kind: 'length-lie' };
}

/** Cuts a frame into 1..8 pieces, some a single byte, written separately. */
function split(rng: Prng, whole: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  const n = rng.range(1, 8);
  for (let i = 0; i < n - 1 && at < whole.length; i++) {
    const len = Math.max(1, rng.int(Math.min(whole.length - at, 16) + 1));
    pieces.push(whole.subarray(at, at + len));
    at += len;
  }
  if (at < whole.length) pieces.push(whole.subarray(at));
  return pieces;
}

/** A path op whose path is invalid UTF-8 (PathUtils and Java's decoder both meet it). */
function badUtf8Frame(rng: Prng): Buffer {
  const w = new JuteWriter();
  const op = rng.pick([
    OpCode.getData,
    OpCode.exists,
    OpCode.create,
    OpCode.setData,
    OpCode.delete,
  ]);
  w.writeInt(rng.range(1, 1000)).writeInt(op);
  const bad = Buffer.concat([Buffer.from('/fz/'), rng.pick(BAD_UTF8)]);
  w.writeInt(bad.length).writeBytes(bad);
  switch (op) {
    case OpCode.create:
      w.writeBuffer(null).writeInt(0).writeInt(0);
      break;
    case OpCode.setData:
      w.writeBuffer(Buffer.from('x')).writeInt(-1);
      break;
    case OpCode.delete:
      w.writeInt(-1);
      break;
    default:
      w.writeBool(false);
  }
  return w.toFrame();
}

/**
 * Hand-built frames aimed at allocation and recursion: vector lengths far beyond the bytes
 * sent, a multi of tens of thousands of ops, a multi without its terminator, a multi nested in
 * a multi, and a deep path.
 */
function hostileFrame(rng: Prng): Buffer {
  const w = new JuteWriter();
  const xid = rng.range(1, 1000);
  switch (rng.int(7)) {
    case 0:
      w.writeInt(xid).writeInt(OpCode.setWatches).writeLong(0n).writeInt(0x7fffffff);
      break;
    case 1:
      w.writeInt(xid).writeInt(OpCode.create).writeString('/fz/h').writeBuffer(null);
      w.writeInt(rng.pick([0x10000000, 0x7fffffff, 1_000_000]));
      break;
    case 2: {
      w.writeInt(xid).writeInt(OpCode.multi);
      const n = rng.range(1000, 20000);
      for (let i = 0; i < n; i++) {
        w.writeInt(OpCode.check).writeBool(false).writeInt(-1).writeString('/fz').writeInt(-1);
      }
      w.writeInt(-1).writeBool(true).writeInt(-1);
      break;
    }
    case 3:
      w.writeInt(xid).writeInt(OpCode.multi);
      for (let i = 0; i < 10; i++) {
        w.writeInt(OpCode.check).writeBool(false).writeInt(-1).writeString('/fz').writeInt(-1);
      }
      break;
    case 4:
      w.writeInt(xid).writeInt(OpCode.multi);
      for (let i = 0; i < 50; i++) w.writeInt(OpCode.multi).writeBool(false).writeInt(-1);
      w.writeInt(-1).writeBool(true).writeInt(-1);
      break;
    case 5:
      w.writeInt(xid)
        .writeInt(OpCode.getChildren)
        .writeString('/fz' + '/d'.repeat(100_000))
        .writeBool(true);
      break;
    default:
      w.writeInt(xid).writeInt(OpCode.multiRead);
      w.writeInt(OpCode.getData).writeBool(false).writeInt(-1).writeInt(0x7ffffff0);
      break;
  }
  return w.toFrame();
}

/** Bytes that are not a frame at all. */
export function garbage(rng: Prng): FuzzChunk {
  return { chunks: [rng.bytes(rng.range(1, 256))], framed: false, kind: 'garbage' };
}
