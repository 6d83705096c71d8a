import {
  ErrorCode,
  EventType,
  KeeperState,
  OpCode,
  encodeConnectRequest,
  encodeConnectResponse,
  encodeFrame,
  encodeNotification,
  encodeReply,
  encodeRequest,
} from '@shepherd/zk-protocol';
import { WireFixture, loadWireFixtures } from '../support/wire-fixture';
import {
  DecodedConnection,
  DecodedRequest,
  byteByByte,
  chunksOf,
  decodeConnection,
  framesOf,
  replyTo,
} from './wire-replay';

/**
 * Golden tests: byte streams recorded between real clients (zkCli.sh 3.8.0 and ours) and a
 * real ZooKeeper 3.8.0 (`npm run fixtures:record`), replayed through the codec. They pin the
 * codec to what the reference implementation actually sends, not to our reading of the spec.
 */
const fixtures = loadWireFixtures();

function fixtureNamed(name: string): WireFixture {
  const found = fixtures.find((f) => f.file === `${name}.json`);
  if (!found) throw new Error(`fixture ${name}.json is missing: run npm run fixtures:record`);
  return found.fixture;
}

/** The first request of `op` (on `path`, if given) in a decoded connection. */
function findRequest(conn: DecodedConnection, op: OpCode, path?: string): DecodedRequest {
  const found = conn.requests.find(
    (r) =>
      r.request.op === op &&
      (path === undefined || ('path' in r.request && r.request.path === path)),
  );
  if (!found) throw new Error(`no ${OpCode[op]} ${path ?? ''} request`);
  return found;
}

function hex(buf: Buffer): string {
  return buf.toString('hex');
}

describe('golden wire fixtures (ZooKeeper 3.8.0)', () => {
  it('are committed, from both zkCli.sh and shepherd', () => {
    // An empty or one-sided fixture directory must fail, never pass vacuously.
    expect(fixtures.length).toBeGreaterThan(0);
    expect(new Set(fixtures.map((f) => f.fixture.client))).toEqual(
      new Set(['zkCli.sh', 'shepherd']),
    );
  });

  describe.each(fixtures.map((f) => [f.file, f.fixture] as const))('%s', (_file, fixture) => {
    it('has at least one connection with traffic both ways', () => {
      expect(fixture.connections.length).toBeGreaterThan(0);
      for (const conn of fixture.connections) {
        expect(chunksOf(conn, 'c2s').length).toBeGreaterThan(0);
        expect(chunksOf(conn, 's2c').length).toBeGreaterThan(0);
      }
    });

    it('frames the same with the recorded chunk boundaries and byte by byte', () => {
      for (const conn of fixture.connections) {
        for (const dir of ['c2s', 's2c'] as const) {
          const chunks = chunksOf(conn, dir);
          const asRecorded = framesOf(chunks);
          const oneByOne = framesOf(byteByByte(chunks));
          expect(oneByOne.map(hex)).toEqual(asRecorded.map(hex));
          // Frames cover the stream exactly: 4-byte length + body each, nothing else.
          const total = chunks.reduce((n, c) => n + c.length, 0);
          expect(asRecorded.reduce((n, f) => n + 4 + f.length, 0)).toBe(total);
        }
      }
    });

    it('decodes every frame and re-encodes it byte for byte', () => {
      for (const conn of fixture.connections) {
        const d = decodeConnection(conn);
        expect(hex(encodeConnectRequest(d.connectRequest))).toBe(
          hex(encodeFrame(d.connectRequestBody)),
        );
        expect(hex(encodeConnectResponse(d.connectResponse))).toBe(
          hex(encodeFrame(d.connectResponseBody)),
        );
        for (const r of d.requests) {
          expect(hex(encodeRequest(r.header.xid, r.request))).toBe(hex(encodeFrame(r.body)));
        }
        for (const r of d.replies) {
          const again = r.event
            ? encodeNotification(r.event, r.header.zxid)
            : encodeReply(r.header, r.response);
          expect(hex(again)).toBe(hex(encodeFrame(r.body)));
        }
      }
    });

    it('answers every request exactly once, in order', () => {
      for (const conn of fixture.connections) {
        const d = decodeConnection(conn);
        const asked = d.requests.map((r) => r.header.xid).filter((xid) => xid >= 0);
        const answered = d.replies.map((r) => r.header.xid).filter((xid) => xid >= 0);
        // ZooKeeper answers a session's requests in order (FinalRequestProcessor is FIFO).
        expect(answered).toEqual(asked);
        for (const r of d.replies) {
          if (r.header.xid >= 0 && r.header.err === 0) expect(r.response).toBeDefined();
        }
      }
    });
  });

  describe('zkcli-session.json facts', () => {
    let conn: DecodedConnection;
    beforeAll(() => {
      conn = decodeConnection(fixtureNamed('zkcli-session').connections[0]);
    });

    const request = (op: OpCode, path?: string) => findRequest(conn, op, path);

    it('opens a new session: id 0, zero password, lastZxidSeen 0, readOnly byte present', () => {
      expect(conn.connectRequest).toEqual({
        protocolVersion: 0,
        lastZxidSeen: 0n,
        timeOut: 4000,
        sessionId: 0n,
        passwd: Buffer.alloc(16),
        readOnly: false,
      });
      expect(conn.connectResponse.sessionId).not.toBe(0n);
      expect(conn.connectResponse.timeOut).toBe(4000);
      expect(conn.connectResponse.passwd).toHaveLength(16);
    });

    it('creates with the mode in flags and gets the sequential name back', () => {
      const create = request(OpCode.create, '/zkcli');
      expect(create.request).toMatchObject({ data: Buffer.from('root-data'), flags: 0 });
      expect(replyTo(conn, create).response).toEqual({ op: OpCode.create, path: '/zkcli' });
      const seq = replyTo(conn, request(OpCode.create, '/zkcli/seq-'));
      expect(seq.response).toEqual({ op: OpCode.create, path: '/zkcli/seq-0000000001' });
      expect(request(OpCode.create, '/zkcli/eseq-').request).toMatchObject({ flags: 3 });
      expect(request(OpCode.createContainer).request).toMatchObject({ flags: 4, data: null });
      expect(request(OpCode.createTTL).request).toMatchObject({ flags: 5, ttl: 60000n });
      const ttlReply = replyTo(conn, request(OpCode.createTTL));
      expect(ttlReply.response).toMatchObject({ op: OpCode.createTTL, path: '/zkcli-ttl' });
    });

    it('delivers the data watch notification before the setData reply', () => {
      const setData = request(OpCode.setData, '/zkcli');
      const notification = conn.replies.findIndex(
        (r) => r.event?.type === EventType.NodeDataChanged && r.event.path === '/zkcli',
      );
      expect(notification).toBeGreaterThanOrEqual(0);
      expect(conn.replies[notification].header).toEqual({ xid: -1, zxid: -1n, err: 0 });
      expect(conn.replies[notification].event?.state).toBe(KeeperState.SyncConnected);
      expect(notification).toBeLessThan(conn.replies.indexOf(replyTo(conn, setData)));
    });

    it('answers exists on a missing node with NoNode, then fires NodeCreated', () => {
      const exists = request(OpCode.exists, '/zkcli/missing');
      expect(exists.request).toMatchObject({ watch: true });
      const reply = replyTo(conn, exists);
      expect(reply.header.err).toBe(ErrorCode.NoNode);
      expect(reply.response).toBeUndefined();
      expect(conn.replies.map((r) => r.event)).toContainEqual({
        type: EventType.NodeCreated,
        state: KeeperState.SyncConnected,
        path: '/zkcli/missing',
      });
    });

    it('carries error codes in the reply header only (BadVersion, NoNode)', () => {
      const stale = replyTo(conn, request(OpCode.setData, '/zkcli'));
      expect(stale.header.err).toBe(0);
      const badVersion = conn.requests.find(
        (r) => r.request.op === OpCode.setData && r.request.version === 0,
      )!;
      expect(replyTo(conn, badVersion).header.err).toBe(ErrorCode.BadVersion);
      expect(replyTo(conn, badVersion).body).toHaveLength(16);
      expect(replyTo(conn, request(OpCode.getData, '/zkcli/nonexistent')).header.err).toBe(
        ErrorCode.NoNode,
      );
    });

    it('authenticates with xid -4 and expands auth: ACLs to the digest id', () => {
      const auth = conn.requests.find((r) => r.request.op === OpCode.auth)!;
      expect(auth.header.xid).toBe(-4);
      expect(auth.request).toEqual({
        op: OpCode.auth,
        type: 0,
        scheme: 'digest',
        auth: Buffer.from('alice:secret'),
      });
      expect(replyTo(conn, auth).header.err).toBe(0);
      const acl = replyTo(conn, request(OpCode.getACL, '/zkcli/secure')).response;
      expect(acl).toMatchObject({
        acl: [{ perms: 31, id: { scheme: 'digest', id: 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=' } }],
      });
      expect(replyTo(conn, request(OpCode.whoAmI)).response).toEqual({
        op: OpCode.whoAmI,
        clientInfo: expect.arrayContaining([{ authScheme: 'digest', user: 'alice' }]),
      });
    });

    it('decodes the 3.6+ ops: getEphemerals, getAllChildrenNumber, addWatch, removeWatches', () => {
      expect(replyTo(conn, request(OpCode.getEphemerals)).response).toEqual({
        op: OpCode.getEphemerals,
        ephemerals: ['/zkcli/ephemeral', '/zkcli/eseq-0000000002'],
      });
      expect(replyTo(conn, request(OpCode.getAllChildrenNumber)).response).toEqual({
        op: OpCode.getAllChildrenNumber,
        totalNumber: 6,
      });
      expect(request(OpCode.addWatch, '/zkcli').request).toMatchObject({ mode: 1 });
      expect(request(OpCode.removeWatches, '/zkcli').request).toMatchObject({ type: 3 });
    });

    it('decodes the multi that deleteall sends, and closes the session last', () => {
      const multi = request(OpCode.multi);
      expect(multi.request.op === OpCode.multi && multi.request.ops).toHaveLength(6);
      expect(replyTo(conn, multi).response).toEqual({
        op: OpCode.multi,
        results: Array.from({ length: 6 }, () => ({ op: OpCode.delete })),
      });
      const last = conn.requests[conn.requests.length - 1];
      expect(last.request).toEqual({ op: OpCode.closeSession });
      expect(replyTo(conn, last).header.err).toBe(0);
    });
  });
  describe('shepherd-crud.json facts', () => {
    let conn: DecodedConnection;
    beforeAll(() => {
      conn = decodeConnection(fixtureNamed('shepherd-crud').connections[0]);
    });
    const request = (op: OpCode, path?: string) => findRequest(conn, op, path);

    it('picks create / create2 / createContainer / createTTL like ZooKeeper.java', () => {
      expect(request(OpCode.create, '/crud').request).toMatchObject({ flags: 0 });
      expect(replyTo(conn, request(OpCode.create2)).response).toMatchObject({
        op: OpCode.create2,
        path: '/crud/stat',
        stat: { dataLength: 3, version: 0 },
      });
      expect(request(OpCode.createContainer).request).toMatchObject({ flags: 4 });
      expect(request(OpCode.createTTL).request).toMatchObject({ flags: 5, ttl: 60000n });
      expect(replyTo(conn, request(OpCode.create, '/crud/seq-')).response).toEqual({
        op: OpCode.create,
        path: '/crud/seq-0000000002',
      });
    });

    it('gets header-only error replies (NodeExists, NoNode, BadVersion)', () => {
      const dupe = conn.requests.filter(
        (r) => r.request.op === OpCode.create && r.request.path === '/crud',
      )[1];
      expect(replyTo(conn, dupe).header.err).toBe(ErrorCode.NodeExists);
      expect(replyTo(conn, request(OpCode.exists, '/crud/missing')).header.err).toBe(
        ErrorCode.NoNode,
      );
      const stale = conn.requests.filter((r) => r.request.op === OpCode.setData)[1];
      expect(replyTo(conn, stale).header.err).toBe(ErrorCode.BadVersion);
      expect(replyTo(conn, stale).response).toBeUndefined();
      // xid + zxid + err: nothing follows the header of a failed (non-multi) request.
      expect(replyTo(conn, stale).body).toHaveLength(16);
    });

    it('pings with xid -2 while idle and gets a header-only reply', () => {
      const ping = conn.requests.find((r) => r.header.xid === -2);
      expect(ping?.request).toEqual({ op: OpCode.ping });
      const pong = conn.replies.find((r) => r.header.xid === -2);
      expect(pong?.header.err).toBe(0);
      expect(pong?.body).toHaveLength(16);
    });

    it('sends auth with xid -4 and auth:"" ACLs, and closes the session last', () => {
      const auth = conn.requests.find((r) => r.request.op === OpCode.auth)!;
      expect(auth.header.xid).toBe(-4);
      expect(auth.request).toMatchObject({
        scheme: 'digest',
        auth: Buffer.from('shepherd:secret'),
      });
      expect(request(OpCode.setACL).request).toMatchObject({
        acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }],
        version: 0,
      });
      expect(replyTo(conn, request(OpCode.setACL)).response).toMatchObject({
        stat: { aversion: 1 },
      });
      expect(replyTo(conn, request(OpCode.whoAmI)).response).toEqual({
        op: OpCode.whoAmI,
        clientInfo: expect.arrayContaining([{ authScheme: 'digest', user: 'shepherd' }]),
      });
      expect(conn.requests[conn.requests.length - 1].request).toEqual({
        op: OpCode.closeSession,
      });
    });
  });

  describe('shepherd-multi.json facts', () => {
    let conn: DecodedConnection;
    beforeAll(() => {
      conn = decodeConnection(fixtureNamed('shepherd-multi').connections[0]);
    });
    const multis = () => conn.requests.filter((r) => r.request.op === OpCode.multi);

    it('decodes a committed multi with one typed result per op', () => {
      const [ok] = multis();
      const reply = replyTo(conn, ok);
      expect(reply.header.err).toBe(0);
      const results = reply.response?.op === OpCode.multi ? reply.response.results : [];
      expect(results.map((r) => r.op)).toEqual([
        OpCode.create,
        OpCode.create,
        OpCode.create,
        // MultiResponse reports a container create as create2 (path + stat).
        OpCode.create2,
        OpCode.setData,
        OpCode.check,
      ]);
      expect(results[2]).toMatchObject({ path: expect.stringMatching(/^\/multi\/seq-\d{10}$/) });
    });

    it('decodes a failed multi: header err 0, per-op errors Ok/BadVersion/RuntimeInconsistency', () => {
      const [, failed] = multis();
      const reply = replyTo(conn, failed);
      expect(reply.header.err).toBe(0);
      expect(reply.response).toEqual({
        op: OpCode.multi,
        results: [
          { op: OpCode.error, err: ErrorCode.Ok },
          { op: OpCode.error, err: ErrorCode.Ok },
          { op: OpCode.error, err: ErrorCode.BadVersion },
          { op: OpCode.error, err: ErrorCode.RuntimeInconsistency },
        ],
      });
    });

    it('decodes multiRead results, including a per-read NoNode', () => {
      const reply = replyTo(conn, findRequest(conn, OpCode.multiRead));
      expect(reply.response).toMatchObject({
        op: OpCode.multiRead,
        results: [
          { op: OpCode.getChildren, children: expect.arrayContaining(['a', 'box']) },
          { op: OpCode.getData, data: Buffer.from('a') },
          { op: OpCode.error, err: ErrorCode.NoNode },
        ],
      });
    });
  });

  describe('shepherd-watches.json facts', () => {
    let first: DecodedConnection;
    let second: DecodedConnection;
    beforeAll(() => {
      const fixture = fixtureNamed('shepherd-watches');
      expect(fixture.connections).toHaveLength(2);
      [first, second] = fixture.connections.map(decodeConnection);
    });

    it('receives one notification per event, with xid -1 and zxid -1', () => {
      const events = first.replies.filter((r) => r.event);
      expect(events.map((r) => r.header)).toEqual(
        events.map(() => ({ xid: -1, zxid: -1n, err: 0 })),
      );
      expect(events.map((r) => [r.event?.type, r.event?.path])).toEqual([
        [EventType.NodeDataChanged, '/watch'],
        [EventType.NodeCreated, '/watch/absent'],
        [EventType.NodeChildrenChanged, '/watch'],
        [EventType.NodeDataChanged, '/watch/kid'],
        [EventType.NodeCreated, '/watch/tree/leaf'],
      ]);
      expect(findRequest(first, OpCode.addWatch, '/watch/kid').request).toMatchObject({ mode: 0 });
      expect(findRequest(first, OpCode.addWatch, '/watch/tree').request).toMatchObject({ mode: 1 });
      expect(findRequest(first, OpCode.checkWatches).request).toMatchObject({ type: 2 });
      expect(findRequest(first, OpCode.removeWatches).request).toMatchObject({ type: 1 });
    });

    it('reconnects to the same session with lastZxidSeen and re-arms watches (setWatches2)', () => {
      const seen = first.replies.reduce(
        (max, r) => (r.header.zxid > max ? r.header.zxid : max),
        0n,
      );
      expect(second.connectRequest).toMatchObject({
        sessionId: first.connectResponse.sessionId,
        passwd: first.connectResponse.passwd,
        lastZxidSeen: seen,
      });
      expect(second.connectResponse.sessionId).toBe(first.connectResponse.sessionId);
      const [setWatches] = second.requests;
      expect(setWatches.header).toEqual({ xid: -8, type: OpCode.setWatches2 });
      expect(setWatches.request).toEqual({
        op: OpCode.setWatches2,
        relativeZxid: seen,
        dataWatches: ['/watch'],
        existWatches: [],
        childWatches: [],
        persistentWatches: ['/watch/kid'],
        persistentRecursiveWatches: ['/watch/tree'],
      });
      // The change made while disconnected is reported right away.
      expect(second.replies.find((r) => r.event)?.event).toEqual({
        type: EventType.NodeDataChanged,
        state: KeeperState.SyncConnected,
        path: '/watch',
      });
      expect(second.replies.find((r) => r.header.xid === -8)?.header.err).toBe(0);
    });
  });
});
