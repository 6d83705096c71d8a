import {
  AddWatchMode,
  AuthFailedError,
  ErrorCode,
  JuteReader,
  KeeperError,
  MarshallingError,
  OpCode,
  ReplyHeader,
  Request,
  RequestHeader,
  Response,
  UnimplementedError,
  UnknownOpCodeError,
  WatcherType,
  encodeReply,
  readRequestBody,
  readRequestHeader,
} from '@shepherd/zk-protocol';
import { authenticate } from '../acl/auth-providers';
import {
  WriteRequest,
  isWriteRequest,
  prepRequest,
  prepRequestOrError,
} from '../prep/prep-request';
import { ReadRequest, answerRead, isReadRequest } from '../prep/read-request';
import { Txn } from '../txn/txn';
import { ServerCore } from './server-core';
import { RequestCnxn } from './server-cnxn';
import { writeResponse } from './write-response';
import { PrepConfig } from '../prep/prep-context';
import { addAuthId } from '../acl/auth-info-order';

/**
 * Types ZooKeeper 3.8 accepts (Request.isValid, plus auth and sasl that processPacket handles
 * first) but this codec does not read: they get Unimplemented and the connection stays open.
 * Any other unreadable type is answered and the connection closed, as ZooKeeper does.
 */
const ZOOKEEPER_KNOWN_TYPES: ReadonlySet<number> = new Set([
  OpCode.reconfig,
  OpCode.deleteContainer,
  OpCode.createSession,
  OpCode.sasl,
]);

/**
 * One request of an established session, after ZooKeeperServer.processPacket (auth, sasl,
 * routing), PrepRequestProcessor (writes become txns) and FinalRequestProcessor (replies,
 * reads, watch registration). Every outcome, errors included, is a reply queued on the reply
 * barrier; only a frame too short for a RequestHeader makes the caller close the connection.
 */
export class RequestProcessor {
  /** What preparation needs of the server's config: the same for every request. */
  private readonly prepConfig: PrepConfig;

  constructor(private readonly core: ServerCore) {
    this.prepConfig = {
      extendedTypesEnabled: core.config.extendedTypesEnabled,
      skipACL: core.config.skipACL,
      // The x509 scheme exists on a server that serves TLS (acl/x509.ts).
      x509: core.config.secure !== undefined,
    };
  }

  /** Returns false when the frame cannot even be read as a request (close the connection). */
  process(cnxn: RequestCnxn, frame: Buffer): boolean {
    let header: RequestHeader;
    const reader = new JuteReader(frame);
    try {
      header = readRequestHeader(reader);
    } catch {
      return false;
    }
    const { xid } = header;
    let request: Request;
    try {
      request = readRequestBody(reader, header.type);
    } catch (err) {
      // ZooKeeperServer: an unknown type goes to UnimplementedRequestProcessor; a body that
      // does not deserialize ends in FinalRequestProcessor's catch-all: MarshallingError.
      if (err instanceof UnknownOpCodeError && !ZOOKEEPER_KNOWN_TYPES.has(header.type)) {
        // Request.isValid is false: UnimplementedRequestProcessor replies Unimplemented (zxid
        // -1: the request never got one) and then closes the connection (sendCloseSession).
        cnxn.stopReading();
        this.core.release(() => {
          cnxn.send(encodeReply({ xid, zxid: -1n, err: ErrorCode.Unimplemented }));
          cnxn.close('unknown request type');
        });
        return true;
      }
      const code =
        err instanceof UnknownOpCodeError ? ErrorCode.Unimplemented : ErrorCode.MarshallingError;
      this.replyError(cnxn, xid, code);
      return true;
    }
    try {
      this.dispatch(cnxn, xid, request);
    } catch (err) {
      this.core.reportError(err, `request ${OpCode[request.op] ?? request.op}`);
      const code = err instanceof KeeperError ? err.code : ErrorCode.MarshallingError;
      this.replyError(cnxn, xid, code);
    }
    return true;
  }

  private dispatch(cnxn: RequestCnxn, xid: number, request: Request): void {
    switch (request.op) {
      case OpCode.ping:
        return this.reply(cnxn, { xid, zxid: this.core.lastZxid, err: 0 });
      case OpCode.auth:
        return this.auth(cnxn, xid, request.scheme, request.auth);
      case OpCode.setWatches:
      case OpCode.setWatches2: {
        const view = { stat: (path: string) => this.core.tree.statOf(path) };
        const events = this.core.watches.setWatches(request, view, cnxn);
        const zxid = this.core.lastZxid;
        this.core.release(() => {
          for (const event of events) cnxn.sendNotification(event, -1n);
          cnxn.send(encodeReply({ xid, zxid, err: 0 }));
        });
        return;
      }
      case OpCode.checkWatches:
      case OpCode.removeWatches: {
        const err =
          request.op === OpCode.checkWatches
            ? this.core.watches.checkWatches(request.path, request.type as WatcherType, cnxn)
            : this.core.watches.removeWatches(request.path, request.type as WatcherType, cnxn);
        return this.reply(cnxn, { xid, zxid: this.core.lastZxid, err }, undefined);
      }
      case OpCode.addWatch: {
        // WatcherMode.fromZooAddWatchMode throws on an unknown mode; FinalRequestProcessor's
        // catch-all turns that into MarshallingError. A client's mistake, not a server error.
        const mode = request.mode as number;
        if (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE) {
          return this.replyError(cnxn, xid, ErrorCode.MarshallingError);
        }
        this.core.watches.addWatch(request.path, cnxn, request.mode);
        return this.reply(cnxn, { xid, zxid: this.core.lastZxid, err: 0 }, { op: OpCode.addWatch });
      }
    }
    if (isReadRequest(request)) return this.read(cnxn, xid, request);
    if (isWriteRequest(request)) return this.write(cnxn, xid, request);
    // sasl, reconfig...: not offered by this server.
    throw new UnimplementedError();
  }

  /**
   * ZooKeeperServer.processPacket, auth: ids are added on success; an unknown scheme gets an
   * AuthFailed reply and the connection is closed.
   */
  private auth(cnxn: RequestCnxn, xid: number, scheme: string, auth: Buffer): void {
    const ids = authenticate(scheme, auth, {
      superDigest: this.core.config.superDigest,
      clientAddress: cnxn.clientAddress,
    });
    if (!ids) {
      cnxn.stopReading();
      this.core.release(() => {
        cnxn.send(encodeReply({ xid, zxid: 0n, err: new AuthFailedError().code }));
        cnxn.close('auth failed');
      });
      return;
    }
    for (const id of ids) addAuthId(cnxn.authInfo, id);
    this.reply(cnxn, { xid, zxid: 0n, err: 0 });
  }

  /** FinalRequestProcessor's read cases, with its watch registration rules. */
  private read(cnxn: RequestCnxn, xid: number, request: ReadRequest): void {
    const ctx = {
      tree: this.core.tree,
      sessionId: cnxn.sessionId,
      authInfo: cnxn.authInfo,
      clientAddress: cnxn.clientAddress,
      skipACL: this.core.config.skipACL,
    };
    const zxid = this.core.lastZxid;
    let response: Response;
    try {
      response = answerRead(ctx, request);
    } catch (err) {
      // exists registers its watch even on NoNode (a watch for the node's creation).
      if (request.op === OpCode.exists && request.watch && err instanceof KeeperError) {
        if (err.code === ErrorCode.NoNode) this.core.watches.addDataWatch(request.path, cnxn);
      }
      if (err instanceof KeeperError) return this.reply(cnxn, { xid, zxid, err: err.code });
      throw err;
    }
    if ('watch' in request && request.watch) {
      if (request.op === OpCode.getChildren || request.op === OpCode.getChildren2) {
        this.core.watches.addChildWatch(request.path, cnxn);
      } else {
        this.core.watches.addDataWatch(request.path, cnxn);
      }
    }
    this.reply(cnxn, { xid, zxid, err: 0 }, response);
  }

  /**
   * PrepRequestProcessor + FinalRequestProcessor for a write: the session is checked, the
   * request becomes a txn (an ErrorTxn when it fails, which still takes a zxid), the txn is
   * applied and logged, and the reply follows its watch events once durable.
   */
  private write(cnxn: RequestCnxn, xid: number, request: WriteRequest): void {
    const core = this.core;
    const sessionId = cnxn.sessionId;
    if (request.op === OpCode.closeSession) {
      cnxn.stopReading();
      core.sessions.setSessionClosing(sessionId);
      const txn = prepRequest(this.prepContext(cnxn), request);
      const committed = core.commit(sessionId, xid, txn);
      core.releaseCommitted(committed, () => {
        cnxn.send(encodeReply({ xid, zxid: committed.header.zxid, err: 0 }));
        cnxn.close('client closed session');
      });
      return;
    }
    let txn: Txn;
    try {
      core.sessions.checkSession(sessionId, cnxn);
      txn = prepRequestOrError(this.prepContext(cnxn), request);
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      txn = { type: OpCode.error, err: err.code };
    }
    const committed = core.commit(sessionId, xid, txn);
    const zxid = committed.header.zxid;
    const rc = committed.result;
    core.releaseCommitted(committed, () => {
      if (txn.type === OpCode.error) {
        cnxn.send(encodeReply({ xid, zxid, err: rc.err || txn.err }));
        return;
      }
      if (request.op !== OpCode.multi && rc.err !== 0) {
        cnxn.send(encodeReply({ xid, zxid, err: rc.err }));
        return;
      }
      let response: Response | undefined;
      try {
        response = writeResponse(request, rc);
      } catch (err) {
        core.reportError(err, 'write response');
        cnxn.send(encodeReply({ xid, zxid, err: new MarshallingError().code }));
        return;
      }
      cnxn.send(encodeReply({ xid, zxid, err: 0 }, response));
    });
  }

  private prepContext(cnxn: RequestCnxn) {
    return {
      tree: this.core.tree,
      sessionId: cnxn.sessionId,
      authInfo: cnxn.authInfo,
      clientAddress: cnxn.clientAddress,
      config: this.prepConfig,
    };
  }

  private reply(cnxn: RequestCnxn, header: ReplyHeader, response?: Response): void {
    // Encode now: the response may hold live views of the tree (node data buffers are
    // replaced, not mutated, but children lists and stats are snapshots taken here).
    const frame = encodeReply(header, header.err === 0 ? response : undefined);
    this.core.release(() => cnxn.send(frame));
  }

  private replyError(cnxn: RequestCnxn, xid: number, err: number): void {
    this.reply(cnxn, { xid, zxid: this.core.lastZxid, err });
  }
}
