import { Id } from '@shepherd/zk-protocol';

/**
 * ServerCnxn.authInfo is a Set backed by a ConcurrentHashMap (ZooKeeper 3.6+), so whoAmI lists
 * a connection's ids, and fixupACL expands `auth:` into them, in that map's iteration order:
 * by hash bin, then by insertion within a bin. A client sees the order (the ACL a CREATOR_ALL
 * node gets, the whoAmI list), so the server keeps its ids in the same order.
 */

/** java.lang.String.hashCode: s[0]*31^(n-1) + ... over UTF-16 code units, 32-bit. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The jute-generated Id.hashCode (JRecord: result = 17; result = 37 * result + field hash). */
function idHash(id: Id): number {
  let result = 17;
  result = (Math.imul(37, result) + javaStringHash(id.scheme ?? '')) | 0;
  return (Math.imul(37, result) + javaStringHash(id.id ?? '')) | 0;
}

/** ConcurrentHashMap.spread: the high half folded in, the sign bit cleared. */
function spread(h: number): number {
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Table length for `count` entries: 16, doubled when the count reaches 3/4 of it (sizeCtl). */
function tableLength(count: number): number {
  let n = 16;
  while (count >= n - (n >>> 2)) n <<= 1;
  return n;
}

/**
 * Adds `id` to `authInfo` unless an equal id is there (Set.add), then puts the ids in the
 * map's iteration order. Returns whether it was added.
 */
export function addAuthId(authInfo: Id[], id: Id): boolean {
  if (authInfo.some((a) => a.scheme === id.scheme && a.id === id.id)) return false;
  authInfo.push(id);
  const mask = tableLength(authInfo.length) - 1;
  // Array.prototype.sort is stable: ids in one bin keep their insertion order.
  authInfo.sort((a, b) => (spread(idHash(a)) & mask) - (spread(idHash(b)) & mask));
  return true;
}
