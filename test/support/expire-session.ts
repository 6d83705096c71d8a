import {
  FrameDecoder,
  OpCode,
  decodeConnectResponse,
  decodeReply,
  encodeConnectRequest,
  encodeRequest,
} from '@shepherd/zk-protocol';
import { ConnectionOptions } from 'tls';
import { dial } from './dial';

const CLOSE_XID = 1;
const MAX_ATTEMPTS = 10;

type Outcome = 'closed' | 'refused' | 'lost';

/** "h1:p1,h2:p2/chroot" -> [{host, port}], ignoring the chroot (sessions are global). */
export function hostsOf(connectString: string): Array<{ host: string; port: number }> {
  const slash = connectString.indexOf('/');
  const hosts = slash >= 0 ? connectString.slice(0, slash) : connectString;
  return hosts.split(',').map((hp) => {
    const colon = hp.lastIndexOf(':');
    return { host: hp.slice(0, colon), port: Number(hp.slice(colon + 1)) };
  });
}

/**
 * Expires a live session on purpose, the way kazoo's test harness does: open a second
 * connection that re-attaches to the same session id + password, then close *that* connection
 * with closeSession. The server ends the session, and the original client is told Expired when
 * it reconnects (the server already dropped its socket when the second connection attached).
 *
 * The original client may race us and re-attach before our closeSession lands (the server then
 * drops *our* socket), so we repeat until the server refuses to attach: that refusal is the
 * proof the session is gone. Written on the raw protocol, not with the client under test, so a
 * client bug cannot make the helper misbehave; needs only a connect string.
 */
export async function expireSession(
  connectString: string,
  sessionId: bigint,
  password: Buffer,
  timeoutMs = 10000,
  /** For a secureClientPort: the CA, certificate and key to connect with. */
  tls?: ConnectionOptions,
): Promise<void> {
  const hosts = hostsOf(connectString);
  const log: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { host, port } = hosts[attempt % hosts.length];
    let outcome: Outcome;
    try {
      outcome = await attachAndClose(host, port, sessionId, password, timeoutMs, tls);
    } catch (err) {
      log.push(`${host}:${port}: ${(err as Error).message}`);
      continue;
    }
    log.push(`${host}:${port}: ${outcome}`);
    // Refused after an attempt of ours got in: the session is gone (our closeSession landed,
    // possibly just before the server dropped our socket for the racing client).
    if (outcome === 'refused') {
      if (attempt > 0) return;
      throw new Error(
        `cannot expire session 0x${sessionId.toString(16)}: the server refused to attach ` +
          `(no such session, or wrong password)`,
      );
    }
  }
  throw new Error(`could not expire session 0x${sessionId.toString(16)}:\n${log.join('\n')}`);
}

function attachAndClose(
  host: string,
  port: number,
  sessionId: bigint,
  password: Buffer,
  timeoutMs: number,
  tls: ConnectionOptions | undefined,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    let handshakeDone = false;
    let settled = false;
    const socket = dial(host, port, tls, () => {
      socket.write(
        encodeConnectRequest({
          protocolVersion: 0,
          lastZxidSeen: 0n,
          timeOut: 10000,
          sessionId,
          passwd: password,
          readOnly: false,
        }),
      );
    });
    const finish = (outcome: Outcome | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) {
          if (!handshakeDone) {
            handshakeDone = true;
            const res = decodeConnectResponse(frame);
            // ZooKeeperServer answers timeOut 0 when id/password name no live session.
            if (res.timeOut <= 0 || res.sessionId !== sessionId) {
              finish('refused');
              return;
            }
            socket.write(encodeRequest(CLOSE_XID, { op: OpCode.closeSession }));
            continue;
          }
          const { header } = decodeReply(frame, (xid) =>
            xid === CLOSE_XID ? OpCode.closeSession : undefined,
          );
          if (header.xid !== CLOSE_XID) continue;
          if (header.err !== 0) finish(new Error(`closeSession failed with err ${header.err}`));
          else finish('closed');
          return;
        }
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.on('error', (err) => finish(err));
    // Dropped before the close reply: the original client took the session back; try again.
    socket.on('close', () => finish('lost'));
  });
}
