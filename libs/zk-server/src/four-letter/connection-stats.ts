import { OpCode } from '@shepherd/zk-protocol';
import { javaHex } from './java-format';
import { lastOpName } from './last-op';
import { ServerStats, elapsedMs } from './server-stats';

/** Replies with these xids answer no request of the queue (watch notifications). */
const NOTIFICATION_XID = -1;

/**
 * Per-connection counters of cons/stat (ServerCnxn: packetsReceived/Sent, lastOp, lastCxid,
 * lastZxid, latency) and its outstanding requests. Replies leave a connection in request order
 * (everything goes through the reply barrier), so the oldest outstanding request is the one a
 * reply answers; it is kept in a ring of typed arrays so nothing is allocated per request.
 */
export class ConnectionStats {
  /** ServerCnxn.established (wall clock ms). */
  readonly established = Date.now();
  packetsReceived = 0;
  packetsSent = 0;
  lastOp = 'NA';
  lastCxid = -1;
  lastResponseTime = 0;
  lastLatency = 0;
  private lastZxidHi = -1;
  private lastZxidLo = 0xffffffff;
  private count = 0;
  private totalLatency = 0;
  private minLat = Number.MAX_SAFE_INTEGER;
  private maxLat = 0;
  private xids = new Int32Array(8);
  private types = new Int32Array(8);
  private starts = new Float64Array(8);
  private head = 0;
  private size = 0;

  constructor(private readonly server: ServerStats) {}

  /** Requests received and not answered yet (cons queued=, mntr outstanding_requests). */
  get outstanding(): number {
    return this.size;
  }

  get lastZxid(): bigint {
    return (BigInt(this.lastZxidHi) << 32n) | BigInt(this.lastZxidLo);
  }

  get minLatency(): number {
    return this.count === 0 ? 0 : this.minLat;
  }

  get maxLatency(): number {
    return this.maxLat;
  }

  /** ServerCnxn.getAvgLatency: integer division, as a long. */
  get avgLatency(): number {
    return this.count === 0 ? 0 : Math.floor(this.totalLatency / this.count);
  }

  /** A packet that gets no tracked reply (the four-letter word itself, auth, sasl). */
  packetReceived(): void {
    this.packetsReceived++;
    this.server.packetsReceived++;
  }

  /** The ConnectRequest: its ConnectResponse is the next frame sent. */
  connectReceived(): void {
    this.packetReceived();
    this.enqueue(0, OpCode.createSession);
  }

  /** A request frame (without its length prefix): RequestHeader xid, type. */
  requestReceived(frame: Buffer): void {
    this.packetReceived();
    if (frame.length < 8) return;
    const type = frame.readInt32BE(4);
    // processPacket answers auth and sasl itself, outside FinalRequestProcessor's statistics.
    if (type === OpCode.auth || type === OpCode.sasl) return;
    this.enqueue(frame.readInt32BE(0), type);
  }

  /** A framed packet (length prefix, then ReplyHeader xid, zxid, err) went out. */
  frameSent(frame: Buffer): void {
    this.packetsSent++;
    this.server.packetsSent++;
    if (this.size === 0 || frame.length < 20) return;
    const type = this.types[this.head];
    const xid = frame.readInt32BE(4);
    if (type === OpCode.createSession) {
      this.answered(type, -1, frame, false);
    } else if (xid !== NOTIFICATION_XID && xid === this.xids[this.head]) {
      this.answered(type, xid, frame, true);
    }
  }

  /** crst (ServerCnxn.resetStats). */
  reset(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.minLat = Number.MAX_SAFE_INTEGER;
    this.maxLat = 0;
    this.lastOp = 'NA';
    this.lastCxid = -1;
    this.lastZxidHi = -1;
    this.lastZxidLo = 0xffffffff;
    this.lastResponseTime = 0;
    this.lastLatency = 0;
    this.count = 0;
    this.totalLatency = 0;
  }

  /** cons: the `,sid=...` part of ServerCnxn.dumpConnectionInfo (sessionId != 0). */
  describeSession(sessionId: bigint, timeout: number): string {
    let s = `,sid=0x${javaHex(sessionId)},lop=${this.lastOp},est=${this.established},to=${timeout}`;
    if (this.lastCxid >= 0) s += `,lcxid=0x${this.lastCxid.toString(16)}`;
    s += `,lzxid=0x${javaHex(this.lastZxid)},lresp=${this.lastResponseTime}`;
    s += `,llat=${this.lastLatency},minlat=${this.minLatency},avglat=${this.avgLatency}`;
    return `${s},maxlat=${this.maxLatency}`;
  }

  /** ServerCnxn.updateStatsForResponse + ServerStats.updateLatency. */
  private answered(type: number, cxid: number, frame: Buffer, hasZxid: boolean): void {
    const now = elapsedMs();
    const elapsed = now - this.starts[this.head];
    this.head = (this.head + 1) % this.xids.length;
    this.size--;
    if (cxid >= 0) this.lastCxid = cxid;
    if (hasZxid) {
      this.lastZxidHi = frame.readInt32BE(8);
      this.lastZxidLo = frame.readUInt32BE(12);
    }
    this.lastOp = lastOpName(type);
    this.lastResponseTime = now;
    this.lastLatency = elapsed;
    if (elapsed < this.minLat) this.minLat = elapsed;
    if (elapsed > this.maxLat) this.maxLat = elapsed;
    this.count++;
    this.totalLatency += elapsed;
    this.server.updateLatency(elapsed);
    this.server.responseSize(frame.length - 4);
  }

  private enqueue(xid: number, type: number): void {
    if (this.size === this.xids.length) this.grow();
    const at = (this.head + this.size) % this.xids.length;
    this.xids[at] = xid;
    this.types[at] = type;
    this.starts[at] = elapsedMs();
    this.size++;
  }

  private grow(): void {
    const n = this.xids.length;
    const xids = new Int32Array(n * 2);
    const types = new Int32Array(n * 2);
    const starts = new Float64Array(n * 2);
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) % n;
      xids[i] = this.xids[from];
      types[i] = this.types[from];
      starts[i] = this.starts[from];
    }
    this.xids = xids;
    this.types = types;
    this.starts = starts;
    this.head = 0;
  }
}
