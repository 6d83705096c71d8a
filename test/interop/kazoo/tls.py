"""kazoo over TLS, one line per step, so two servers can be compared line by line.

Run as `python3 tls.py HOST:PORT CA_PEM CERT_PEM KEY_PEM` with kazoo installed (Debian's
python3-kazoo). kazoo's TLS options (use_ssl, ca, certfile, keyfile, verify_certs) are those
its documentation gives for ZooKeeper's secureClientPort.
"""
import sys
import time

from kazoo.client import KazooClient
from kazoo.security import CREATOR_ALL_ACL


def main(hosts, ca, certfile, keyfile):
    zk = KazooClient(hosts=hosts, use_ssl=True, verify_certs=True, ca=ca, certfile=certfile,
                     keyfile=keyfile)
    zk.start(timeout=15)
    path = '/kazoo-tls-%d' % int(time.time() * 1000)
    zk.create(path, b'over tls', acl=CREATOR_ALL_ACL)
    data, _ = zk.get(path)
    print('get -> %r' % data)
    acl, _ = zk.get_acls(path)
    # CREATOR_ALL_ACL expands to the identity of the client certificate.
    print('acl -> %s' % ', '.join('%s:%s %d' % (a.id.scheme, a.id.id, a.perms) for a in acl))
    zk.delete(path)
    print('delete -> ok')
    zk.stop()
    zk.close()


if __name__ == '__main__':
    main(*sys.argv[1:5])
