import { Socket } from 'node:net';
import {
  ConnectRequest,
  FrameDecoder,
  Id,
  OpCode,
  WatcherEvent,
  decodeConnectRequest,
  encodeConnectResponse,
  encodeNotification,
} from '@shepherd/zk-protocol';
import { initialAuthInfo } from '../acl/auth-providers';
import { normalizeClientAddress } from '../acl/ip-auth';
import { X509_SCHEME } from '../acl/x509';
import { ConnectionStats } from '../four-letter/connection-stats';
import { FourLetterSniffer } from '../four-letter/four-letter-sniffer';
import { FourLetterHook } from '../four-letter/four-letter-hook';
import { ServerStats } from '../four-letter/server-stats';
import { SESSION_PASSWORD_LENGTH } from '../sessions/session-password';
import { RequestProcessor } from './request-processor';
import { ServerCore } from './server-core';
import { RequestCnxn } from './server-cnxn';
import { addAuthId } from '../acl/auth-info-order';

/** handshake -> open -> (draining: replies still go out, nothing is read) -> closed. */
type CnxnState = 'handshake' | 'open' | 'draining' | 'closed';

/**
 * Replies queued for one connection beyond what the socket took (Node buffers them in memory)
 * after which the connection is dropped as too slow. ZooKeeper bounds the same memory by no
 * longer reading from a connection with too many outstanding requests (throttling); one TCP
 * chunk here can hold thousands of requests, so a hard cap is what keeps this bounded.
 */
export const MAX_OUTBOUND_BYTES = 32 * 1024 * 1024;

/**
 * One client TCP connection (NIOServerCnxn): length-prefixed frames, the ConnectRequest
 * handshake (ZooKeeperServer.processConnectRequest), then requests. Nothing thrown in here
 * leaves the socket handlers: a broken frame closes this connection only.
 */
export class ClientConnection implements RequestCnxn {
  readonly authInfo: Id[];
  readonly clientAddress: string;
  private readonly decoder: FrameDecoder;
  private state: CnxnState = 'handshake';
  private session = 0n;
  /** The timeout negotiated for this connection (what touch() extends the session by). */
  private negotiatedTimeout = 0;
  /** cons/stat counters (ServerCnxn statistics). */
  readonly stats: ConnectionStats;
  /** "/ip:port", as cons prints it. */
  readonly remoteSocketAddress: string;
  private readonly sniffer = new FourLetterSniffer();

  constructor(
    private readonly socket: Socket,
    private readonly core: ServerCore,
    private readonly processor: RequestProcessor,
    private readonly fourLetter?: FourLetterHook,
    /** The subject DN of a trusted client certificate on the TLS port (X509AuthenticationProvider). */
    x509?: string,
  ) {
    this.clientAddress = normalizeClientAddress(socket.remoteAddress ?? '');
    this.remoteSocketAddress = `/${this.clientAddress}:${socket.remotePort ?? 0}`;
    this.stats = new ConnectionStats(fourLetter?.stats ?? new ServerStats());
    this.authInfo = initialAuthInfo(this.clientAddress);
    if (x509 !== undefined) addAuthId(this.authInfo, { scheme: X509_SCHEME, id: x509 });
    this.decoder = new FrameDecoder({ maxFrameSize: core.config.maxFrameSize });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close('socket error'));
    socket.on('close', () => this.onClosed());
  }

  get sessionId(): bigint {
    return this.session;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  get timeout(): number {
    return this.negotiatedTimeout;
  }

  /** NIOServerCnxn.getInterestOps as cons shows it: 1 (OP_READ) while requests are read. */
  get interestOps(): number {
    return this.state === 'handshake' || this.state === 'open' ? 1 : 0;
  }

  send(frame: Buffer): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    if (this.socket.writableLength > MAX_OUTBOUND_BYTES) {
      // A peer that does not read its replies would make us buffer without bound.
      this.socket.destroy();
      this.onClosed();
      return;
    }
    this.stats.frameSent(frame);
    // Replies released together (a log batch made durable, a pipelined burst of reads) leave in
    // one writev instead of one write syscall each, which was the largest single cost under load
    // (NIOServerCnxn likewise gathers a connection's queued responses into one write).
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(frame);
  }

  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    if (!this.socket.destroyed) this.socket.uncork();
  };

  stopReading(): void {
    if (this.state !== 'closed') this.state = 'draining';
  }

  sendNotification(event: WatcherEvent, zxid: bigint): void {
    this.send(encodeNotification(event, zxid));
  }

  /** Flushes what was written, then closes (ServerCnxn.close / sendCloseSession). */
  close(reason: string): void {
    void reason;
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.endSocket();
    this.core.connectionClosed(this);
  }

  private endSocket(): void {
    this.socket.end();
    // A peer that never reads must not keep the socket half-open forever.
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  private onClosed(): void {
    if (this.state !== 'closed') {
      this.state = 'closed';
      this.core.connectionClosed(this);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed' || this.state === 'draining') return;
    if (this.state === 'handshake' && this.fourLetter) {
      // NIOServerCnxn.checkFourLetterWord: a first length int that spells a known word.
      const sniffed = this.sniffer.push(chunk);
      if (sniffed.kind === 'more') return;
      if (sniffed.kind === 'word') return this.answerFourLetterWord(this.fourLetter, sniffed.word);
      chunk = sniffed.bytes;
    }
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      // Over jute.maxbuffer, or a negative length: the stream cannot be resynchronised.
      this.core.reportError(err, 'frame');
      this.socket.destroy();
      this.onClosed();
      return;
    }
    for (const frame of frames) {
      if (this.state !== 'handshake' && this.state !== 'open') return;
      try {
        this.onFrame(frame);
      } catch (err) {
        this.core.reportError(err, 'frame');
        this.close('internal error');
      }
    }
  }

  private onFrame(frame: Buffer): void {
    if (this.state === 'handshake') {
      this.stats.connectReceived();
      this.handshake(frame);
      return;
    }
    this.stats.requestReceived(frame);
    // ZooKeeperServer.submitRequest -> touch(cnxn): every packet keeps the session alive; a
    // session that is gone or closing cannot be used from this connection any more.
    if (!this.core.sessions.touch(this.session, this.negotiatedTimeout)) {
      this.close('session gone');
      return;
    }
    if (!this.processor.process(this, frame)) this.close('malformed request');
  }

  /** Answers one four-letter word, then closes (the command's output ends at EOF). */
  private answerFourLetterWord(hook: FourLetterHook, word: string): void {
    this.stats.packetReceived();
    this.state = 'draining';
    let text: string;
    try {
      text = hook.answer(word);
    } catch (err) {
      this.core.reportError(err, `four letter word ${word}`);
      text = '';
    }
    this.socket.write(text);
    this.close('four letter word');
  }

  /** ZooKeeperServer.processConnectRequest. */
  private handshake(frame: Buffer): void {
    let req: ConnectRequest;
    try {
      req = decodeConnectRequest(frame);
    } catch {
      this.close('malformed ConnectRequest');
      return;
    }
    const core = this.core;
    if (core.isFailed) {
      this.close('server not serving');
      return;
    }
    // A client that saw a newer state than ours must not be served from an older one.
    if (req.lastZxidSeen > core.lastZxid) {
      this.close('client zxid ahead of server');
      return;
    }
    // ZooKeeper always appends the readOnly byte; it is echoed here only to clients that sent
    // one, so a pre-3.4 style client gets the record layout it expects. Never read-only.
    const readOnly = req.readOnly === undefined ? undefined : false;
    this.negotiatedTimeout = core.sessions.negotiateTimeout(req.timeOut);
    if (req.sessionId === 0n) {
      const session = core.sessions.createSession(req.timeOut);
      this.session = session.id;
      this.negotiatedTimeout = session.timeout;
      core.sessions.setOwner(session.id, this);
      this.state = 'open';
      // createSession is a txn too; the ConnectResponse waits for it to be durable
      // (FinalRequestProcessor -> finishSessionInit).
      const committed = core.commit(session.id, 0, {
        type: OpCode.createSession,
        timeOut: session.timeout,
      });
      core.releaseCommitted(committed, () =>
        this.send(
          encodeConnectResponse({
            protocolVersion: 0,
            timeOut: session.timeout,
            sessionId: session.id,
            passwd: core.sessions.passwordFor(session.id),
            readOnly,
          }),
        ),
      );
      return;
    }
    const session = core.sessions.reopenSession(req.sessionId, req.passwd, this.negotiatedTimeout);
    if (!session) {
      // finishSessionInit(valid = false): timeout 0, id 0, an all-zero password, then close.
      const frameOut = encodeConnectResponse({
        protocolVersion: 0,
        timeOut: 0,
        sessionId: 0n,
        passwd: Buffer.alloc(SESSION_PASSWORD_LENGTH),
        readOnly,
      });
      this.state = 'closed';
      core.release(() => {
        if (!this.socket.destroyed) this.socket.write(frameOut);
        this.endSocket();
      });
      core.connectionClosed(this);
      return;
    }
    this.session = session.id;
    this.state = 'open';
    const previous = core.sessions.setOwner(session.id, this);
    previous?.close('session re-attached from another connection');
    const response = encodeConnectResponse({
      protocolVersion: 0,
      timeOut: this.negotiatedTimeout,
      sessionId: session.id,
      passwd: core.sessions.passwordFor(session.id),
      readOnly,
    });
    core.release(() => this.send(response));
  }
}
