"""What a kazoo user sees, one line per case, so two servers can be compared line by line.

Run as `python3 fidelity.py HOST:PORT` with kazoo installed (Debian's python3-kazoo): null and
empty data, CREATOR_ALL_ACL with and without digest auth, and every ACL scheme (world, auth,
digest, ip, x509, super, an unknown one, a null one) with ids that kazoo sends as null (the
empty string), valid and malformed. Each line is `case -> outcome`; an outcome is `ok ...` or
the kazoo exception's class name.
"""
import sys

from kazoo.client import KazooClient
from kazoo.security import ACL, CREATOR_ALL_ACL, Id


def outcome(fn):
    try:
        return 'ok ' + repr(fn())
    except Exception as e:  # the exception's class is the outcome being compared
        return type(e).__name__


def main(hosts):
    anonymous = KazooClient(hosts=hosts)
    anonymous.start()
    user = KazooClient(hosts=hosts, auth_data=[('digest', 'kaz:pw')])
    user.start()
    base = '/kazoo-fidelity'
    anonymous.create(base)
    cases = [
        ('create None, get', lambda: (anonymous.create(base + '/null', None),
                                      anonymous.get(base + '/null')[0])[1]),
        ('create b"", get', lambda: (anonymous.create(base + '/empty', b''),
                                     anonymous.get(base + '/empty')[0])[1]),
        ('set None, get', lambda: (anonymous.set(base + '/empty', None),
                                   anonymous.get(base + '/empty')[0])[1]),
        ('set b"x", get', lambda: (anonymous.set(base + '/null', b'x'),
                                   anonymous.get(base + '/null')[0])[1]),
        ('dataLength of None', lambda: anonymous.get(base + '/empty')[1].data_length),
        ('CREATOR_ALL_ACL without auth', lambda: anonymous.create(base + '/c0', b'x',
                                                                  acl=CREATOR_ALL_ACL)),
        ('CREATOR_ALL_ACL with digest', lambda: (user.create(base + '/c1', b'x',
                                                             acl=CREATOR_ALL_ACL),
                                                 [str(a.id) for a in
                                                  user.get_acls(base + '/c1')[0]])[1]),
    ]
    n = 0
    for scheme in ['world', 'auth', 'digest', 'ip', 'x509', 'super', 'foo', '']:
        for ident in ['', 'anyone', 'kaz:abc', 'kaz:rKbRjr2AGbvvubUl6XqBbtnOmc0=', 'a:b:c',
                      '127.0.0.1', '10.0.0.0/8', '10.0.0.0/33', 'CN=x']:
            n += 1
            path = '%s/acl%d' % (base, n)
            cases.append(('acl %s:%s' % (scheme or '<null>', ident or '<null>'),
                          lambda path=path, scheme=scheme, ident=ident: (
                              user.create(path, b'x', acl=[ACL(31, Id(scheme, ident))]),
                              [str(a.id) for a in user.get_acls(path)[0]])[1]))
    for name, fn in cases:
        print('%s -> %s' % (name, outcome(fn)))
    sys.stdout.flush()
    user.stop()
    anonymous.stop()


if __name__ == '__main__':
    main(sys.argv[1])
