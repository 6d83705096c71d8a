import { ClientState, WatchedEvent } from '@shepherd/zk-client';
import {
  CreateMode,
  ErrorCode,
  EventType,
  KeeperState,
  SessionExpiredError,
} from '@shepherd/zk-protocol';
import { hostsOf } from '../support/expire-session';
import { RecordingProxy } from '../tools/recording-proxy';
import { AsyncQueue } from './async-queue';
import { ContractContext, expectKeeperError } from './contract-context';

/** Connect/close, session re-attach (id + password) and session expiry. */
export function sessionCases(ctx: ContractContext): void {
  describe('sessions', () => {
    it('connects, negotiates a timeout, and closes for good', async () => {
      const zk = ctx.newClient({ sessionTimeout: 8000 });
      expect(zk.state).toBe(ClientState.NOT_CONNECTED);
      const states = ctx.states(zk);
      await zk.connect();
      expect(zk.state).toBe(ClientState.CONNECTED);
      expect(zk.sessionId).not.toBe(0n);
      expect(zk.sessionPassword).toHaveLength(16);
      expect(zk.sessionTimeout).toBeGreaterThan(0);
      expect(zk.sessionTimeout).toBeLessThanOrEqual(8000);
      expect(await states.next('SyncConnected')).toBe(KeeperState.SyncConnected);
      await zk.close();
      expect(zk.state).toBe(ClientState.CLOSED);
      expect(await states.next('Closed')).toBe(KeeperState.Closed);
      await expect(zk.exists('/')).rejects.toThrow();
    });

    it('re-attaches to a session by id + password, keeping its ephemerals', async () => {
      // The first client goes through a proxy we can cut, so it vanishes without closeSession
      // (like a crashed process) and cannot fight the second client for the session.
      const proxy = await RecordingProxy.start(hostsOf(ctx.connectString)[0]);
      try {
        const first = await ctx.client({}, proxy.connectString);
        const firstStates = ctx.states(first);
        const root = await ctx.root(first);
        await first.create(`${root}/eph`, 'e', { mode: CreateMode.EPHEMERAL });
        proxy.accepting = false;
        proxy.dropConnections();

        const second = await ctx.client({
          sessionId: first.sessionId,
          sessionPassword: first.sessionPassword,
        });
        expect(second.sessionId).toBe(first.sessionId);
        // The second connection may be on another member: sync before reading.
        await second.sync(root);
        expect((await second.exists(`${root}/eph`))?.ephemeralOwner).toBe(first.sessionId);
        await second.create(`${root}/eph2`, '', { mode: CreateMode.EPHEMERAL });
        expect((await second.getEphemerals(root)).sort()).toEqual([`${root}/eph`, `${root}/eph2`]);

        // Closing the re-attached client ends the session: both ephemerals go.
        await second.close();
        const observer = await ctx.client();
        await observer.sync(root);
        expect(await observer.getChildren(root)).toEqual([]);
        // The cut-off client learns the truth when it can reach the server again.
        proxy.accepting = true;
        await firstStates.nextMatching('Expired', (s) => s === KeeperState.Expired, 30000);
        expect(first.state).toBe(ClientState.CLOSED);
      } finally {
        await proxy.close();
      }
    });

    it('reports expiry: Expired to every watcher, ephemerals gone, later ops SessionExpired', async () => {
      const defaults = new AsyncQueue<WatchedEvent>();
      const zk = await ctx.client({ defaultWatcher: defaults.push });
      const states = ctx.states(zk);
      const root = await ctx.root(zk);
      await zk.create(`${root}/eph`, '', { mode: CreateMode.EPHEMERAL });
      const watch = new AsyncQueue<WatchedEvent>();
      await zk.getData(root, watch.push);

      await ctx.expire(zk);

      await states.nextMatching('Expired', (s) => s === KeeperState.Expired, 30000);
      expect(zk.state).toBe(ClientState.CLOSED);
      const expired = { type: EventType.None, state: KeeperState.Expired };
      await defaults.nextMatching(
        'Expired (default watcher)',
        (e) => e.state === KeeperState.Expired,
      );
      // Every watcher hears session events (Disconnected first, then Expired).
      expect(
        await watch.nextMatching('Expired (data watcher)', (e) => e.state === KeeperState.Expired),
      ).toEqual(expired);

      const observer = await ctx.client();
      await observer.sync(root);
      expect(await observer.exists(`${root}/eph`)).toBeNull();
      await expectKeeperError(zk.getData(root), SessionExpiredError, ErrorCode.SessionExpired);
      await expectKeeperError(
        zk.create(`${root}/x`),
        SessionExpiredError,
        ErrorCode.SessionExpired,
      );
      // connect() on an expired session must not silently start a new one.
      await expect(zk.connect()).rejects.toThrow();
    });
  });
}
