import { Socket } from 'node:net';
import { ConnectionOptions } from 'node:tls';
import {
  ErrorCode,
  FrameDecoder,
  JuteReader,
  OpCode,
  decodeConnectResponse,
  readReplyHeader,
  readResponseBody,
  readWatcherEvent,
} from '@shepherd/zk-protocol';
import { dial } from '../dial';
import { FrameSource } from './frame-source';
import { FuzzChunk } from './mutators';

/** How one fuzz connection ended, from the fuzzer's side. */
export interface FuzzConnectionResult {
  framesSent: number;
  replies: number;
  notifications: number;
  /** The server ended the connection (FIN, RST or a close after our FIN). */
  closedByServer: boolean;
  /** Neither answered the final ping nor closed within the timeout. */
  hung: boolean;
  /** Replies that are not ZooKeeper replies to what was sent (a server bug). */
  invalid: string[];
  /** A connect error: the server refused the connection (e.g. maxClientCnxns). */
  refused: boolean;
}

const KNOWN_ERRORS = new Set(Object.values(ErrorCode).filter((v) => typeof v === 'number'));

export interface FuzzConnectionOptions {
  host: string;
  port: number;
  frames: number;
  source: FrameSource;
  /** How long to wait for the final ping's reply or a close. Default 15 s. */
  settleMs?: number;
  /** Called once per step sent. */
  onFrame?: (kind: string) => void;
  /** Fuzz a secureClientPort: the frames travel inside TLS (CA, certificate, key). */
  tls?: ConnectionOptions;
}

/**
 * One hostile connection: sends a handshake and `frames` steps as fast as the socket accepts
 * them, checks every reply, then (if the stream is still in sync) a ping that must be answered
 * unless the server closes. The server must answer with well-formed ZooKeeper replies, in
 * order, or close the connection; anything else is recorded in `invalid`.
 */
export function runFuzzConnection(opts: FuzzConnectionOptions): Promise<FuzzConnectionResult> {
  return new Promise((resolve) => {
    const result: FuzzConnectionResult = {
      framesSent: 0,
      replies: 0,
      notifications: 0,
      closedByServer: false,
      hung: false,
      invalid: [],
      refused: false,
    };
    const socket: Socket = dial(opts.host, opts.port, opts.tls, () => onOpen());
    const decoder = new FrameDecoder({ maxFrameSize: 0x7fffffff });
    /** xid and op of every request the server will read, while the stream is in sync. */
    const expected: { xid: number; op: number }[] = [];
    let inSync = true;
    let sawConnectResponse = false;
    let handshakeSeen = false;
    let weEnded = false;
    let connected = false;
    let finalPingXid: number | undefined;
    let settleTimer: NodeJS.Timeout | undefined;
    let done = false;

    const finish = () => {
      if (done) return;
      done = true;
      if (settleTimer) clearTimeout(settleTimer);
      socket.destroy();
      resolve(result);
    };
    const invalid = (what: string) => {
      if (result.invalid.length < 5) result.invalid.push(what);
    };

    const track = (step: FuzzChunk) => {
      if (!step.framed) {
        inSync = false;
        return;
      }
      if (!inSync) return;
      const whole = step.chunks.length === 1 ? step.chunks[0] : Buffer.concat(step.chunks);
      const body = whole.subarray(4);
      if (!handshakeSeen) {
        handshakeSeen = true; // the first frame is read as the ConnectRequest, whatever it is
        return;
      }
      if (body.length < 8) {
        inSync = false; // the server closes: a frame too short for a RequestHeader
        return;
      }
      expected.push({ xid: body.readInt32BE(0), op: body.readInt32BE(4) });
    };

    const onReply = (frame: Buffer) => {
      if (!sawConnectResponse) {
        sawConnectResponse = true;
        try {
          const res = decodeConnectResponse(frame);
          if (res.passwd.length !== 16)
            invalid(`ConnectResponse passwd length ${res.passwd.length}`);
        } catch (err) {
          invalid(`bad ConnectResponse: ${(err as Error).message}`);
        }
        return;
      }
      try {
        const r = new JuteReader(frame);
        const header = readReplyHeader(r);
        if (!KNOWN_ERRORS.has(header.err)) invalid(`unknown error code ${header.err}`);
        // A notification (xid -1, zxid -1, an event body) unless a request of ours used xid -1.
        const head = expected[0];
        const isReply = r.remaining === 0 || (head?.xid === -1 && header.zxid !== -1n);
        if (header.xid === -1 && !isReply) {
          try {
            readWatcherEvent(r);
            result.notifications++;
            return;
          } catch (err) {
            // Out of sync, a reply to a request sent with xid -1 cannot be told apart.
            if (inSync) throw err;
          }
        }
        result.replies++;
        if (!inSync) return;
        if (!head) {
          invalid(`reply xid ${header.xid} to nothing`);
          return;
        }
        expected.shift();
        if (head.xid !== header.xid) {
          invalid(`reply xid ${header.xid}, expected ${head.xid} (op ${head.op})`);
          inSync = false;
          return;
        }
        if (header.err === 0 && r.remaining > 0 && OpCode[head.op] !== undefined) {
          try {
            readResponseBody(r, head.op);
          } catch (err) {
            invalid(`op ${OpCode[head.op]} reply body: ${(err as Error).message}`);
          }
        }
        if (header.xid === finalPingXid && head.op === OpCode.ping) {
          weEnded = true;
          socket.end();
        }
      } catch (err) {
        invalid(`undecodable reply: ${(err as Error).message}`);
      }
    };

    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        invalid(`bad reply framing: ${(err as Error).message}`);
        finish();
        return;
      }
      for (const f of frames) onReply(f);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) result.refused = true;
      else if (!weEnded) result.closedByServer = true;
      void err;
      finish();
    });
    socket.on('end', () => {
      if (!weEnded) result.closedByServer = true;
    });
    socket.on('close', () => {
      if (!weEnded && connected) result.closedByServer = true;
      finish();
    });

    const send = (step: FuzzChunk): boolean => {
      track(step);
      let ok = true;
      for (const c of step.chunks) ok = socket.write(c) && ok;
      return ok;
    };

    const pump = () => {
      while (!done && !socket.destroyed && result.framesSent < opts.frames) {
        const step = opts.source.next();
        result.framesSent++;
        opts.onFrame?.(step.kind);
        const drained = send(step);
        // Out of sync, the server reads what follows as the rest of a frame (or has closed):
        // the remaining steps are better spent on a fresh connection.
        if (!inSync) break;
        if (!drained) {
          socket.once('drain', pump);
          return;
        }
      }
      if (done || socket.destroyed) return;
      if (inSync) {
        // The last word: a ping that must be answered (or the connection closed).
        finalPingXid = 0x7ffffff7;
        const ping = Buffer.alloc(12);
        ping.writeInt32BE(8, 0);
        ping.writeInt32BE(finalPingXid, 4);
        ping.writeInt32BE(OpCode.ping, 8);
        track({ chunks: [ping], framed: true, kind: 'final-ping' });
        socket.write(ping);
      } else {
        // Out of sync: the server may rightly be waiting for the rest of a lying frame; our FIN
        // must make it close.
        weEnded = true;
        socket.end();
      }
      settleTimer = setTimeout(() => {
        result.hung = true;
        finish();
      }, opts.settleMs ?? 15000);
    };

    const onOpen = () => {
      connected = true;
      const hs = opts.source.handshake();
      result.framesSent++;
      opts.onFrame?.(hs.kind);
      if (send(hs)) pump();
      else socket.once('drain', pump);
    };
  });
}
