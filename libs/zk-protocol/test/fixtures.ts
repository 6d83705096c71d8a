import type { ACL, ClientInfo, Stat } from '../src';
import { bool, cat, i32, i64, str, vec } from './bytes';

// Shared sample records and their expected bytes, written with the independent builder.

export const STAT: Stat = {
  czxid: 0x100000001n,
  mzxid: 0x7fffffffffffffffn,
  ctime: 1700000000123n,
  mtime: -1n,
  version: 7,
  cversion: -1,
  aversion: 2147483647,
  ephemeralOwner: -0x7fedcba987654321n,
  dataLength: 5,
  numChildren: 0,
  pzxid: -(2n ** 63n),
};

export function statBytes(s: Stat): Buffer {
  return cat(
    i64(s.czxid),
    i64(s.mzxid),
    i64(s.ctime),
    i64(s.mtime),
    i32(s.version),
    i32(s.cversion),
    i32(s.aversion),
    i64(s.ephemeralOwner),
    i32(s.dataLength),
    i32(s.numChildren),
    i64(s.pzxid),
  );
}

export const ACLS: ACL[] = [
  { perms: 31, id: { scheme: 'world', id: 'anyone' } },
  { perms: 1, id: { scheme: 'digest', id: 'bob:h4sh=' } },
];

export function aclBytes(acl: ACL): Buffer {
  return cat(i32(acl.perms), str(acl.id.scheme), str(acl.id.id));
}

export function aclsBytes(acls: ACL[]): Buffer {
  return vec(acls.map(aclBytes));
}

export const CLIENT_INFO: ClientInfo[] = [
  { authScheme: 'ip', user: '127.0.0.1' },
  { authScheme: 'sasl', user: 'zk/ü' },
];

export function clientInfoBytes(c: ClientInfo): Buffer {
  return cat(str(c.authScheme), str(c.user));
}

export function multiHeader(type: number, done: boolean, err: number): Buffer {
  return cat(i32(type), bool(done), i32(err));
}

/** MultiOperationRecord/MultiResponse terminator: {type: -1, done: true, err: -1}. */
export const MULTI_DONE = multiHeader(-1, true, -1);
