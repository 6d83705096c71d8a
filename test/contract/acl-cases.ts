import { ClientState } from '@shepherd/zk-client';
import {
  AuthFailedError,
  CREATOR_ALL_ACL,
  ErrorCode,
  InvalidACLError,
  KeeperState,
  MarshallingError,
  NoAuthError,
  OPEN_ACL_UNSAFE,
  Perms,
  READ_ACL_UNSAFE,
} from '@shepherd/zk-protocol';
import { createHash } from 'crypto';
import { ContractContext, expectKeeperError } from './contract-context';

/** DigestAuthenticationProvider.generateDigest: "user:" + base64(sha1("user:password")). */
function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

/**
 * The same entries in any order: a server lists a connection's ids in its id set's order
 * (a hash order in ZooKeeper 3.8), which the cases do not pin down.
 */
function sameIds<T>(actual: T[], expected: T[]): void {
  expect(actual).toEqual(expect.arrayContaining(expected));
  expect(actual).toHaveLength(expected.length);
}

/** ACLs, digest authentication, whoAmI. */
export function aclCases(ctx: ContractContext): void {
  describe('ACL and digest auth', () => {
    it('reads and writes ACLs', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      const { acl, stat } = await zk.getACL(root);
      expect(acl).toEqual(OPEN_ACL_UNSAFE);
      expect(stat.aversion).toBe(0);
      const readOnlyAcl = [
        { perms: Perms.READ | Perms.ADMIN, id: { scheme: 'world', id: 'anyone' } },
      ];
      expect((await zk.setACL(root, readOnlyAcl)).aversion).toBe(1);
      expect((await zk.getACL(root)).acl).toEqual(readOnlyAcl);
      await expectKeeperError(zk.setData(root, 'x'), NoAuthError, ErrorCode.NoAuth);
      await expectKeeperError(zk.create(`${root}/c`), NoAuthError, ErrorCode.NoAuth);
      expect((await zk.getData(root)).stat.version).toBe(0);
    });

    it('enforces READ_ACL_UNSAFE', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      await zk.create(`${root}/ro`, 'r', { acl: READ_ACL_UNSAFE });
      expect((await zk.getData(`${root}/ro`)).data?.toString()).toBe('r');
      await expectKeeperError(zk.setData(`${root}/ro`, 'w'), NoAuthError, ErrorCode.NoAuth);
    });

    it('guards CREATOR_ALL_ACL nodes with digest auth (addAuth and the auth option)', async () => {
      const alice = await ctx.client();
      await alice.addAuth('digest', 'alice:secret');
      const root = await ctx.root(alice);
      const path = `${root}/private`;
      await alice.create(path, 'mine', { acl: CREATOR_ALL_ACL });
      // auth:'' expands to the creator's authenticated ids (a TLS certificate's x509 id too),
      // the digest one digested; in the order of the server's id set, which sameIds ignores.
      sameIds((await alice.getACL(path)).acl, [
        ...ctx.certificateIds.map((id) => ({ perms: Perms.ALL, id })),
        { perms: Perms.ALL, id: { scheme: 'digest', id: digestId('alice', 'secret') } },
      ]);

      const anonymous = await ctx.client();
      const mallory = await ctx.client({ auth: [{ scheme: 'digest', auth: 'alice:wrong' }] });
      for (const other of [anonymous, mallory]) {
        // Read-your-writes holds per session only: other sessions sync before reading.
        await other.sync(path);
        if (ctx.certificateIds.length === 0) {
          await expectKeeperError(other.getData(path), NoAuthError, ErrorCode.NoAuth);
        } else {
          // The same client certificate is the same x509 identity: the ACL lets it in.
          expect((await other.getData(path)).data?.toString()).toBe('mine');
        }
      }
      const alice2 = await ctx.client({ auth: [{ scheme: 'digest', auth: 'alice:secret' }] });
      await alice2.sync(path);
      expect((await alice2.getData(path)).data?.toString()).toBe('mine');
      await alice2.setData(path, 'still mine');
    });

    it('refuses CREATOR_ALL_ACL without authentication (InvalidACL)', async () => {
      const zk = await ctx.client();
      const root = await ctx.root(zk);
      if (ctx.certificateIds.length === 0) {
        await expectKeeperError(
          zk.create(`${root}/x`, '', { acl: CREATOR_ALL_ACL }),
          InvalidACLError,
          ErrorCode.InvalidACL,
        );
      } else {
        // A trusted client certificate authenticates the session: auth:'' is its x509 id.
        await zk.create(`${root}/x`, '', { acl: CREATOR_ALL_ACL });
        expect((await zk.getACL(`${root}/x`)).acl).toEqual(
          ctx.certificateIds.map((id) => ({ perms: Perms.ALL, id })),
        );
      }
      await expectKeeperError(
        zk.setACL(root, [{ perms: Perms.ALL, id: { scheme: 'no-such-scheme', id: 'x' } }]),
        InvalidACLError,
        ErrorCode.InvalidACL,
      );
      await expectKeeperError(
        zk.create(`${root}/y`, '', { acl: [] }),
        InvalidACLError,
        ErrorCode.InvalidACL,
      );
    });

    it('judges null ACL ids and schemes as PrepRequestProcessor.fixupACL does', async () => {
      // kazoo writes every empty string as a null ustring, so its CREATOR_ALL_ACL,
      // Id('auth', ''), reaches the server with a null id.
      const zk = await ctx.client({ auth: [{ scheme: 'digest', auth: 'kaz:pw' }] });
      const root = await ctx.root(zk);
      const acl = (scheme: string | null, id: string | null) => [
        { perms: Perms.ALL, id: { scheme, id } },
      ];
      await zk.create(`${root}/auth`, 'x', { acl: acl('auth', null) });
      sameIds((await zk.getACL(`${root}/auth`)).acl, [
        ...ctx.certificateIds.map((id) => ({ perms: Perms.ALL, id })),
        { perms: Perms.ALL, id: { scheme: 'digest', id: digestId('kaz', 'pw') } },
      ]);
      // A null id where 3.8 calls a method on it (world's equals, digest's and ip's isValid)
      // is a NullPointerException there, answered MarshallingError; a null scheme, or a scheme
      // with no provider, is InvalidACL whatever the id.
      for (const scheme of ['world', 'digest', 'ip']) {
        await expectKeeperError(
          zk.create(`${root}/${scheme}`, 'x', { acl: acl(scheme, null) }),
          MarshallingError,
          ErrorCode.MarshallingError,
        );
      }
      for (const [scheme, id] of [
        [null, 'anyone'],
        [null, null],
        ['super', null],
        ['no-such-scheme', null],
      ]) {
        await expectKeeperError(
          zk.create(`${root}/n`, 'x', { acl: acl(scheme, id) }),
          InvalidACLError,
          ErrorCode.InvalidACL,
        );
      }
      // The connection is fine after all of it.
      expect((await zk.getData(`${root}/auth`)).data?.toString()).toBe('x');
    });

    it('reports the session identities with whoAmI', async () => {
      const zk = await ctx.client();
      const before = await zk.whoAmI();
      const certificate = ctx.certificateIds.map(({ scheme, id }) => ({
        authScheme: scheme,
        user: id,
      }));
      sameIds(before, [{ authScheme: 'ip', user: '127.0.0.1' }, ...certificate]);
      await zk.addAuth('digest', 'bob:pw');
      const after = await zk.whoAmI();
      expect(after).toEqual(
        expect.arrayContaining([
          { authScheme: 'ip', user: '127.0.0.1' },
          { authScheme: 'digest', user: 'bob' },
        ]),
      );
      expect(after).toEqual(expect.arrayContaining(certificate));
      expect(after).toHaveLength(2 + certificate.length);
    });
    it('fails the session on an unknown auth scheme (AuthFailed)', async () => {
      const zk = await ctx.client();
      const states = ctx.states(zk);
      // ZooKeeperServer answers xid -4 with AuthFailed and closes the connection; the Java
      // client then reports AuthFailed and refuses further work.
      await expect(zk.addAuth('no-such-scheme', 'x')).rejects.toBeInstanceOf(AuthFailedError);
      await states.nextMatching('AuthFailed', (s) => s === KeeperState.AuthFailed);
      expect(zk.state).toBe(ClientState.AUTH_FAILED);
      await expect(zk.exists('/')).rejects.toBeInstanceOf(AuthFailedError);
    });
  });
}
