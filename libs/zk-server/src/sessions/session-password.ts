import { createHmac, timingSafeEqual } from 'node:crypto';

/** Length of a session password (ZooKeeperServer.generatePasswd makes 16 bytes). */
export const SESSION_PASSWORD_LENGTH = 16;

/**
 * The password of a session, derived from its id and the server's secret only.
 * ZooKeeper seeds java.util.Random with sessionId ^ superSecret, a constant compiled into every
 * server, so anyone can compute any session's password. We keep the property that matters
 * (reproducible from id + secret, so a client can re-attach after a restart as long as the
 * secret is persisted with the data) but use HMAC-SHA256 keyed by a per-server secret,
 * truncated to 16 bytes. Passwords are therefore NOT byte-identical to ZooKeeper's.
 */
export function sessionPassword(sessionId: bigint, secret: Buffer | string): Buffer {
  const idBytes = Buffer.alloc(8);
  idBytes.writeBigInt64BE(BigInt.asIntN(64, sessionId));
  return createHmac('sha256', secret).update(idBytes).digest().subarray(0, SESSION_PASSWORD_LENGTH);
}

/** ZooKeeperServer.checkPasswd: session 0 never matches; constant-time comparison. */
export function checkSessionPassword(
  sessionId: bigint,
  passwd: Buffer | Uint8Array,
  secret: Buffer | string,
): boolean {
  if (sessionId === 0n || passwd.length !== SESSION_PASSWORD_LENGTH) return false;
  return timingSafeEqual(passwd, sessionPassword(sessionId, secret));
}
