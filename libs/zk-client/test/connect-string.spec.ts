import { HostProvider, parseConnectString } from '@shepherd/zk-client';

describe('parseConnectString', () => {
  it('parses several hosts and a chroot', () => {
    expect(parseConnectString('a:2181,b:2182/app')).toEqual({
      hosts: [
        { host: 'a', port: 2181 },
        { host: 'b', port: 2182 },
      ],
      chroot: '/app',
    });
  });

  it('defaults the port and ignores blanks', () => {
    expect(parseConnectString(' a , b:1 ')).toEqual({
      hosts: [
        { host: 'a', port: 2181 },
        { host: 'b', port: 1 },
      ],
    });
  });

  it('treats "/" as no chroot and drops a trailing slash', () => {
    expect(parseConnectString('a:1/').chroot).toBeUndefined();
    expect(parseConnectString('a:1/x/y/').chroot).toBe('/x/y');
  });

  it('accepts bracketed IPv6 literals', () => {
    expect(parseConnectString('[::1]:2281,[fe80::2]').hosts).toEqual([
      { host: '::1', port: 2281 },
      { host: 'fe80::2', port: 2181 },
    ]);
  });

  it.each(['', '/app', 'a:notaport', 'a:70000', 'a:1/x//y', 'a:1/x/../y', '[::1'])(
    'rejects %p',
    (s) => expect(() => parseConnectString(s)).toThrow(),
  );
});

describe('HostProvider', () => {
  const hosts = [1, 2, 3].map((port) => ({ host: 'h', port }));

  it('cycles in order without shuffling and backs off after a full round', () => {
    const hp = new HostProvider(hosts, false, 1000);
    const seen = [hp.next(), hp.next(), hp.next(), hp.next()];
    expect(seen.map((s) => s.host.port)).toEqual([1, 2, 3, 1]);
    expect(seen.map((s) => s.delayMs)).toEqual([0, 0, 0, 1000]);
    hp.onConnected();
    expect(hp.next()).toEqual({ host: hosts[1], delayMs: 0 });
  });

  it('shuffles with the given random source', () => {
    const hp = new HostProvider(hosts, true, 1000, () => 0);
    expect(hp.list().map((h) => h.port)).toEqual([2, 3, 1]);
  });
});
