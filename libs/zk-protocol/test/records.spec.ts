import {
  type ConnectRequest,
  type ConnectResponse,
  EventType,
  JuteDecodeError,
  JuteReader,
  JuteWriter,
  KeeperState,
  OpCode,
  PROTOCOL_VERSION,
  decodeConnectRequest,
  decodeConnectResponse,
  encodeConnectRequest,
  encodeConnectResponse,
  readACL,
  readClientInfo,
  readId,
  readMultiHeader,
  readReplyHeader,
  readRequestHeader,
  readStat,
  readWatcherEvent,
  writeACL,
  writeClientInfo,
  writeId,
  writeMultiHeader,
  writeReplyHeader,
  writeRequestHeader,
  writeStat,
  writeWatcherEvent,
} from '../src';
import { bool, buf, cat, frame, hex, i32, i64, str } from './bytes';
import { ACLS, CLIENT_INFO, STAT, aclBytes, clientInfoBytes, statBytes } from './fixtures';

/** Encodes with `write`, compares to `bytes`, decodes `bytes` with `read` back to `value`. */
function roundTrip<T>(
  value: T,
  bytes: Buffer,
  write: (w: JuteWriter, v: T) => void,
  read: (r: JuteReader) => T,
): void {
  const w = new JuteWriter();
  write(w, value);
  expect(w.toBuffer()).toEqual(bytes);
  const r = new JuteReader(bytes);
  expect(read(r)).toEqual(value);
  expect(r.remaining).toBe(0);
}

describe('records (zookeeper.jute)', () => {
  it('Id', () => {
    roundTrip({ scheme: 'ip', id: '10.0.0.1' }, cat(str('ip'), str('10.0.0.1')), writeId, readId);
  });

  it('ACL', () => {
    for (const acl of ACLS) {
      roundTrip(acl, aclBytes(acl), writeACL, readACL);
    }
  });

  it('Stat keeps every long exact (max, min and negative values)', () => {
    roundTrip(STAT, statBytes(STAT), writeStat, readStat);
    expect(statBytes(STAT).length).toBe(68);
  });

  it('RequestHeader', () => {
    roundTrip(
      { xid: -8, type: OpCode.setWatches },
      cat(i32(-8), i32(101)),
      writeRequestHeader,
      readRequestHeader,
    );
  });

  it('ReplyHeader', () => {
    const h = { xid: 2147483647, zxid: 0x7fffffffffffffffn, err: -101 };
    roundTrip(h, cat(i32(h.xid), i64(h.zxid), i32(-101)), writeReplyHeader, readReplyHeader);
  });

  it('MultiHeader', () => {
    const h = { type: -1, done: true, err: -1 };
    roundTrip(h, hex('ffffffff 01 ffffffff'), writeMultiHeader, readMultiHeader);
  });

  it('WatcherEvent', () => {
    const e = { type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/a/b' };
    roundTrip(e, cat(i32(3), i32(3), str('/a/b')), writeWatcherEvent, readWatcherEvent);
  });

  it('WatcherEvent with a null path is a decode error, not a crash', () => {
    expect(() => readWatcherEvent(new JuteReader(cat(i32(1), i32(3), str(null))))).toThrow(
      JuteDecodeError,
    );
  });

  it('ClientInfo', () => {
    for (const c of CLIENT_INFO) {
      roundTrip(c, clientInfoBytes(c), writeClientInfo, readClientInfo);
    }
  });
});

describe('ConnectRequest / ConnectResponse', () => {
  const passwd = hex('00112233445566778899aabbccddeeff');

  const request: ConnectRequest = {
    protocolVersion: PROTOCOL_VERSION,
    lastZxidSeen: 0x1234567890abcdefn,
    timeOut: 30000,
    sessionId: -0x7ffffffffffffff0n,
    passwd,
  };
  const requestBody = cat(
    i32(0),
    i64(request.lastZxidSeen),
    i32(30000),
    i64(request.sessionId),
    buf(passwd),
  );

  it('request without the trailing readOnly byte', () => {
    expect(encodeConnectRequest(request)).toEqual(frame(requestBody));
    const decoded = decodeConnectRequest(requestBody);
    expect(decoded).toEqual(request);
    expect('readOnly' in decoded).toBe(false);
  });

  it('request with readOnly true and false', () => {
    for (const readOnly of [true, false]) {
      const body = cat(requestBody, bool(readOnly));
      expect(encodeConnectRequest({ ...request, readOnly })).toEqual(frame(body));
      expect(decodeConnectRequest(body)).toEqual({ ...request, readOnly });
    }
  });

  const response: ConnectResponse = {
    protocolVersion: 0,
    timeOut: 4000,
    sessionId: 0x7fffffffffffffffn,
    passwd,
  };
  const responseBody = cat(i32(0), i32(4000), i64(response.sessionId), buf(passwd));

  it('response without the readOnly byte (pre-3.4 server)', () => {
    expect(encodeConnectResponse(response)).toEqual(frame(responseBody));
    const decoded = decodeConnectResponse(responseBody);
    expect(decoded).toEqual(response);
    expect(decoded.readOnly).toBeUndefined();
  });

  it('response with the readOnly byte', () => {
    const body = cat(responseBody, bool(true));
    expect(encodeConnectResponse({ ...response, readOnly: true })).toEqual(frame(body));
    expect(decodeConnectResponse(body)).toEqual({ ...response, readOnly: true });
  });

  it('a null password decodes as an empty buffer', () => {
    const body = cat(i32(0), i32(0), i64(0n), buf(null));
    expect(decodeConnectResponse(body).passwd).toEqual(Buffer.alloc(0));
  });

  it('a truncated response is a JuteDecodeError', () => {
    for (let n = 0; n < responseBody.length; n++) {
      expect(() => decodeConnectResponse(responseBody.subarray(0, n))).toThrow(JuteDecodeError);
    }
  });
});
