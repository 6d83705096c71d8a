import { ClientState } from '@shepherd/zk-client';
import { ConnectionLossError, ErrorCode, KeeperError, KeeperState } from '@shepherd/zk-protocol';
import { hostsOf } from '../support/expire-session';
import { RecordingProxy } from '../tools/recording-proxy';
import { ContractContext, expectKeeperError } from './contract-context';

/**
 * Connection loss without session loss: the client must fail what was in flight, reconnect by
 * itself and carry on with the same session. A proxy in front of the server plays the network.
 */
export function connectionCases(ctx: ContractContext): void {
  describe('connection loss', () => {
    let proxy: RecordingProxy;
    beforeEach(async () => {
      proxy = await RecordingProxy.start(hostsOf(ctx.connectString)[0]);
    });
    afterEach(async () => {
      await ctx.closeAll();
      await proxy.close();
    });

    it('fails in-flight requests with ConnectionLoss, then reconnects to the same session', async () => {
      const zk = await ctx.client({}, proxy.connectString);
      const states = ctx.states(zk);
      const root = await ctx.root(zk);
      const sessionId = zk.sessionId;

      proxy.stall();
      const inFlight = zk.getData(root);
      proxy.dropConnections();
      await expectKeeperError(inFlight, ConnectionLossError, ErrorCode.ConnectionLoss);

      await states.nextMatching('Disconnected', (s) => s === KeeperState.Disconnected);
      await states.nextMatching('SyncConnected', (s) => s === KeeperState.SyncConnected);
      expect(zk.state).toBe(ClientState.CONNECTED);
      expect(zk.sessionId).toBe(sessionId);
      expect((await zk.getData(root)).stat.version).toBe(0);
    });

    it('notices a silent server by its read timeout and reconnects to the same session', async () => {
      // ClientCnxn: no bytes from the server for 2/3 of the session timeout means it is gone,
      // even though the socket is still open; pings keep a healthy connection talking.
      const zk = await ctx.client({ sessionTimeout: 4000 }, proxy.connectString);
      const states = ctx.states(zk);
      const root = await ctx.root(zk);
      const sessionId = zk.sessionId;
      const negotiated = zk.sessionTimeout;
      const stalledAt = Date.now();

      proxy.stall();
      await states.nextMatching('Disconnected', (s) => s === KeeperState.Disconnected, negotiated);
      const noticedAfter = Date.now() - stalledAt;
      expect(noticedAfter).toBeGreaterThanOrEqual(negotiated / 3);
      await states.nextMatching(
        'SyncConnected',
        (s) => s === KeeperState.SyncConnected,
        negotiated,
      );
      expect(zk.sessionId).toBe(sessionId);
      expect(states.received).not.toContain(KeeperState.Expired);
      await zk.setData(root, 'still here');
      expect(proxy.connections.length).toBeGreaterThanOrEqual(2);
    });
    it('closes promptly while disconnected, failing what was queued', async () => {
      const zk = await ctx.client({}, proxy.connectString);
      const states = ctx.states(zk);
      proxy.accepting = false;
      proxy.dropConnections();
      await states.nextMatching('Disconnected', (s) => s === KeeperState.Disconnected);
      const queued = zk.exists('/');
      const started = Date.now();
      await zk.close();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(zk.state).toBe(ClientState.CLOSED);
      await expect(queued).rejects.toBeInstanceOf(KeeperError);
    });
  });
}
