import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpCode } from '@shepherd/zk-protocol';
import { DataTree } from '../data-tree/data-tree';
import { RecoveryReport } from '../persistence/recovery';
import { TxnSnapLog } from '../persistence/txn-snap-log';
import { ServerCore } from './server-core';

/** File in dataDir holding the key of the session passwords. */
export const SESSION_SECRET_FILE = 'session-secret';
const SECRET_LENGTH = 32;

/**
 * ZKDatabase.loadDataBase: the newest valid snapshot, then every later txn through the same
 * DataTree.processTxn, and the sessions from createSession/closeSession txns (plus the
 * snapshot's). Restored sessions get a full timeout from now (SessionTracker.restore), so
 * clients that come back in time keep their session and ephemerals.
 */
export async function recoverServerState(
  core: ServerCore,
  snapLog: TxnSnapLog,
): Promise<RecoveryReport> {
  const report = await snapLog.recover({
    onSnapshot: (snapshot) => {
      core.replaceTree(DataTree.restoreRows(snapshot.rows(), snapshot.zxid));
      core.sessions.restore(snapshot.sessions);
    },
    onTxn: (header, txn) => {
      core.tree.replayTxn(header, txn);
      if (txn.type === OpCode.createSession) {
        core.sessions.trackSession(header.clientId, txn.timeOut);
      } else if (txn.type === OpCode.closeSession) {
        core.sessions.removeSession(header.clientId);
      }
    },
  });
  core.setLastZxid(report.lastZxid);
  return report;
}

/**
 * The session password key must survive a restart, or no client could re-attach (ZooKeeper
 * uses a constant compiled into every server; see sessions/session-password.ts). Kept in a
 * file next to the data, created on first start (write to a temp name, then rename).
 */
export async function loadOrCreateSessionSecret(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, SESSION_SECRET_FILE);
  try {
    const secret = await readFile(file);
    if (secret.length === SECRET_LENGTH) return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(SECRET_LENGTH);
  const tmp = `${file}.tmp`;
  await writeFile(tmp, secret, { mode: 0o600 });
  await rename(tmp, file);
  return secret;
}
