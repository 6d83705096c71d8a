import {
  CREATOR_ALL_ACL,
  ErrorCode,
  InvalidACLError,
  MarshallingError,
  NoAuthError,
  OPEN_ACL_UNSAFE,
  Perms,
} from '@shepherd/zk-protocol';
import {
  addAuthId,
  authenticate,
  checkACL,
  clientInfos,
  fixupACL,
  generateDigest,
  hasPermission,
  initialAuthInfo,
  ipMatches,
  isValidDigestId,
  isValidIpAclId,
  normalizeClientAddress,
} from '@shepherd/zk-server';

const acl = (perms: number, scheme: string, id: string) => ({ perms, id: { scheme, id } });

describe('digest ids (DigestAuthenticationProvider)', () => {
  it('matches the ids ZooKeeper 3.8.0 produced for addauth digest', () => {
    expect(generateDigest('bob:secret')).toBe('bob:fyVmFCwVbTJYrznoSu1koqYEYF0=');
    expect(generateDigest('super:admin')).toBe('super:xQJmxLMiHGwaqBvst5y6rkB6HQs=');
  });

  it('keeps everything after the first colon in the password', () => {
    expect(generateDigest('u:p:q').startsWith('u:')).toBe(true);
    expect(generateDigest('u:p:q')).not.toBe(generateDigest('u:p'));
  });

  it.each([
    ['user:hash', true],
    [':hash', true],
    ['user:', false],
    ['user', false],
    ['a:b:c', false],
    ['user:hash::', true],
  ])('isValid(%j) = %s (Java split semantics)', (id, ok) => {
    expect(isValidDigestId(id)).toBe(ok);
  });
});

describe('ip ids (IPAuthenticationProvider, IPv4 only in 3.8)', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.1', '127.0.0.0/8', true],
    ['10.1.2.3', '127.0.0.0/8', false],
    ['10.1.2.3', '10.1.0.0/16', true],
    ['10.1.2.3', '10.1.2.0/25', true],
    ['10.1.2.200', '10.1.2.0/25', false],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['::ffff:127.0.0.1', '127.0.0.1', true],
    ['::1', '127.0.0.1', false],
    ['127.0.0.1', '127.0.0.1/33', false],
    ['127.0.0.1', '127.0.0', false],
  ])('%s in %s: %s', (addr, expr, ok) => {
    expect(ipMatches(addr, expr)).toBe(ok);
  });

  it.each([
    ['1.2.3.4', true],
    ['1.2.3.4/24', true],
    ['1.2.3', false],
    ['1.2.3.256', false],
    ['1.2.3.4/x', false],
    ['::1', false],
  ])('isValid(%s) = %s', (id, ok) => {
    expect(isValidIpAclId(id)).toBe(ok);
  });

  it('reports IPv4 clients of a dual-stack socket the way Java does', () => {
    expect(normalizeClientAddress('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(initialAuthInfo('::ffff:10.0.0.7')).toEqual([{ scheme: 'ip', id: '10.0.0.7' }]);
  });
});

describe('fixupACL (PrepRequestProcessor.fixupACL)', () => {
  const bob = [
    { scheme: 'ip', id: '127.0.0.1' },
    { scheme: 'digest', id: 'bob:h' },
  ];

  it('expands auth to the authenticated ids (not ip) after removing duplicates', () => {
    const out = fixupACL('/x', bob, [
      ...CREATOR_ALL_ACL,
      acl(Perms.READ, 'world', 'anyone'),
      ...CREATOR_ALL_ACL,
    ]);
    expect(out).toEqual([acl(Perms.ALL, 'digest', 'bob:h'), acl(Perms.READ, 'world', 'anyone')]);
  });

  it('removes duplicate entries', () => {
    expect(fixupACL('/x', [], [...OPEN_ACL_UNSAFE, ...OPEN_ACL_UNSAFE])).toEqual(OPEN_ACL_UNSAFE);
  });

  it.each([
    ['an empty list', []],
    ['auth without an authenticated id', CREATOR_ALL_ACL],
    ['an unknown scheme', [acl(1, 'sasl', 'x')]],
    ['world with another id', [acl(1, 'world', 'foo')]],
    ['a malformed digest id', [acl(1, 'digest', 'user')]],
    ['a malformed ip id', [acl(1, 'ip', '1.2.3')]],
    ['the super scheme', [acl(1, 'super', '')]],
  ])('rejects %s with InvalidACL', (_name, list) => {
    const auth = [{ scheme: 'ip', id: '127.0.0.1' }];
    expect(() => fixupACL('/x', auth, list)).toThrow(InvalidACLError);
    try {
      fixupACL('/x', auth, list);
    } catch (e) {
      expect((e as InvalidACLError).code).toBe(ErrorCode.InvalidACL);
      expect((e as InvalidACLError).path).toBe('/x');
    }
  });

  it('accepts digest and ip ids as given', () => {
    const list = [acl(Perms.ADMIN, 'digest', 'bob:xyz'), acl(Perms.READ, 'ip', '10.0.0.0/8')];
    expect(fixupACL('/x', [], list)).toEqual(list);
  });

  // Jute ustrings are nullable and kazoo sends empty strings as null. What ZooKeeper 3.8 does
  // with each, checked with kazoo against it: a null scheme has no provider (InvalidACL); a
  // null id is ignored by auth and unknown schemes but is a NullPointerException (answered
  // MarshallingError) where world compares it or digest and ip validate it.
  const nul = (perms: number, scheme: string | null, id: string | null) => ({
    perms,
    id: { scheme, id },
  });

  it("expands auth with a null id (kazoo's CREATOR_ALL_ACL)", () => {
    expect(fixupACL('/x', bob, [nul(Perms.ALL, 'auth', null)])).toEqual([
      acl(Perms.ALL, 'digest', 'bob:h'),
    ]);
  });

  it.each([
    ['a null scheme', nul(1, null, 'anyone'), InvalidACLError],
    ['a null scheme and id', nul(1, null, null), InvalidACLError],
    ['super with a null id', nul(1, 'super', null), InvalidACLError],
    ['an unknown scheme with a null id', nul(1, 'x509', null), InvalidACLError],
    ['world with a null id', nul(1, 'world', null), MarshallingError],
    ['digest with a null id', nul(1, 'digest', null), MarshallingError],
    ['ip with a null id', nul(1, 'ip', null), MarshallingError],
  ])('answers %s as 3.8 does', (_name, entry, error) => {
    expect(() => fixupACL('/x', bob, [entry])).toThrow(error);
  });

  it('compares duplicates as jute does: a null field of the later entry is an NPE', () => {
    const world = acl(Perms.READ, 'world', 'anyone');
    // Same perms: scheme.equals runs on the later entry's null scheme.
    expect(() => fixupACL('/x', bob, [world, nul(Perms.READ, null, 'x')])).toThrow(
      MarshallingError,
    );
    // Other perms: equals stops at the perms, and the null scheme is then InvalidACL.
    expect(() => fixupACL('/x', bob, [world, nul(Perms.ALL, null, 'x')])).toThrow(InvalidACLError);
  });
});

describe('checkACL (ZooKeeperServer.checkACL)', () => {
  const digestBob = { scheme: 'digest', id: generateDigest('bob:secret') };
  const ip = { scheme: 'ip', id: '127.0.0.1' };
  const nodeAcl = [
    acl(Perms.READ, 'world', 'anyone'),
    acl(Perms.ALL, 'digest', digestBob.id),
    acl(Perms.WRITE, 'ip', '10.0.0.0/8'),
  ];

  it('lets anyone do what world:anyone grants, and nothing more', () => {
    expect(hasPermission(nodeAcl, Perms.READ, [ip])).toBe(true);
    expect(hasPermission(nodeAcl, Perms.WRITE, [ip])).toBe(false);
    expect(() => checkACL(nodeAcl, Perms.DELETE, [ip], '/n')).toThrow(NoAuthError);
  });

  it('matches digest ids exactly and ip ids by prefix', () => {
    expect(hasPermission(nodeAcl, Perms.ADMIN, [ip, digestBob])).toBe(true);
    expect(
      hasPermission(nodeAcl, Perms.ADMIN, [
        ip,
        { scheme: 'digest', id: generateDigest('bob:wrong') },
      ]),
    ).toBe(false);
    expect(hasPermission(nodeAcl, Perms.WRITE, [{ scheme: 'ip', id: '10.9.9.9' }])).toBe(true);
  });

  it('lets a super id do anything, and allows everything on an empty ACL', () => {
    expect(
      hasPermission([acl(Perms.READ, 'digest', 'x:y')], Perms.ADMIN, [{ scheme: 'super', id: '' }]),
    ).toBe(true);
    expect(hasPermission([], Perms.ADMIN, [])).toBe(true);
  });

  it('does nothing with skipACL', () => {
    expect(() =>
      checkACL([acl(Perms.READ, 'digest', 'x:y')], Perms.ADMIN, [], '/n', { skipACL: true }),
    ).not.toThrow();
  });
});

describe('authenticate (addauth)', () => {
  it('gives digest:<user:hash>, plus super: first when it matches the super digest', () => {
    const superDigest = generateDigest('super:admin');
    expect(authenticate('digest', Buffer.from('bob:secret'), { superDigest })).toEqual([
      { scheme: 'digest', id: 'bob:fyVmFCwVbTJYrznoSu1koqYEYF0=' },
    ]);
    expect(authenticate('digest', Buffer.from('super:admin'), { superDigest })).toEqual([
      { scheme: 'super', id: '' },
      { scheme: 'digest', id: superDigest },
    ]);
  });

  it('fails for an unknown scheme', () => {
    expect(authenticate('kerberos', Buffer.from('x'))).toBeNull();
  });

  it('lists ids for whoAmI without the super id', () => {
    expect(
      clientInfos([
        { scheme: 'ip', id: '127.0.0.1' },
        { scheme: 'super', id: '' },
        { scheme: 'digest', id: 'super:abc' },
      ]),
    ).toEqual([
      { authScheme: 'ip', user: '127.0.0.1' },
      { authScheme: 'digest', user: 'super' },
    ]);
  });
});

describe('authInfo order (a ConcurrentHashMap-backed Set in ServerCnxn)', () => {
  it('lists ids as Apache ZooKeeper 3.8 does for the same ids', () => {
    // Observed on ZooKeeper 3.8 over TLS: whoAmI [x509, ip]; CREATOR_ALL_ACL after addauth
    // digest alice:secret expands to [digest, x509].
    const ip = { scheme: 'ip', id: '127.0.0.1' };
    const x509 = { scheme: 'x509', id: 'CN=interop-client,O=Shepherd' };
    const digest = { scheme: 'digest', id: 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=' };
    const ids = [ip];
    addAuthId(ids, x509);
    expect(ids).toEqual([x509, ip]);
    addAuthId(ids, digest);
    expect(ids.filter((i) => i.scheme !== 'ip')).toEqual([digest, x509]);
    // A Set: the same id twice is one id.
    expect(addAuthId(ids, { ...digest })).toBe(false);
    expect(ids).toHaveLength(3);
  });
});
