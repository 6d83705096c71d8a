import { KeeperState } from '@app/zk-protocol';
import { ZooKeeperClient } from '@app/zk-client';
import { waitFor } from './wait';

/**
 * Expires `victim`'s session the way kazoo's harness does: a second client attaches to the
 * same session (id + password) and closes it, which ends the session on the server. The victim
 * may win the race and re-attach first, so this repeats until the victim itself reports
 * Expired.
 */
export async function expireSession(connectString: string, victim: ZooKeeperClient): Promise<void> {
  let expired = false;
  const sub = victim.state$.subscribe((s) => {
    if (s === KeeperState.Expired) expired = true;
  });
  try {
    const id = victim.sessionId;
    const password = victim.sessionPassword;
    for (let attempt = 0; attempt < 10 && !expired; attempt++) {
      const twin = new ZooKeeperClient(connectString, {
        sessionId: id,
        sessionPassword: password,
        sessionTimeout: 2000,
      });
      try {
        await twin.connect();
        await twin.close();
      } catch {
        await twin.close().catch(() => undefined);
        // Refused: the session is already gone; the victim learns it when it reconnects.
      }
      await waitFor('the victim to see its session expire', () => expired, 1500).catch(
        () => undefined,
      );
    }
    if (!expired) throw new Error(`session 0x${victim.sessionId.toString(16)} did not expire`);
  } finally {
    sub.unsubscribe();
  }
}
