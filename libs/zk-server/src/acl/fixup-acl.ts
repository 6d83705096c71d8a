import { ACL, Id, InvalidACLError, MarshallingError, RequestACL } from '@shepherd/zk-protocol';
import { ANYONE_ID, AUTH_SCHEME, WORLD_SCHEME } from './auth-info';
import { authProvider } from './auth-providers';

/**
 * PrepRequestProcessor.fixupACL (ZooKeeper 3.8): validates the ACL of a create/setACL and
 * expands `auth` entries. Duplicates are removed first (ZOOKEEPER-1877); an empty list, a null
 * or unknown scheme, an id its provider rejects, world with an id other than "anyone", or an
 * `auth` entry from a connection with no authenticated id (digest; ip does not count) all give
 * InvalidACL. Each `auth` entry becomes one entry per authenticated id, with the entry's perms,
 * whatever id it carried (kazoo sends CREATOR_ALL_ACL's empty id as null).
 *
 * A null id where ZooKeeper compares or validates it (world, digest, ip, and a duplicate check
 * against an entry with the same perms) is a NullPointerException there, which its
 * PrepRequestProcessor answers with MarshallingError: so is it here, checked against 3.8 with
 * kazoo for every scheme (test/interop/kazoo-fidelity.spec.ts). `withX509`: the server serves
 * TLS, so the x509 scheme exists (x509.ts).
 */
export function fixupACL(
  path: string,
  authInfo: readonly Id[],
  acls: readonly RequestACL[],
  withX509 = false,
): ACL[] {
  const unique = removeDuplicates(path, acls);
  if (unique.length === 0) throw new InvalidACLError(path);
  const out: ACL[] = [];
  for (const a of unique) {
    const scheme = a?.id?.scheme;
    if (typeof scheme !== 'string') throw new InvalidACLError(path);
    const id = a.id.id;
    if (scheme === WORLD_SCHEME && javaEquals(path, id, ANYONE_ID)) {
      out.push({ perms: a.perms, id: { scheme, id: ANYONE_ID } });
    } else if (scheme === AUTH_SCHEME) {
      let expanded = false;
      for (const cid of authInfo) {
        if (authProvider(cid.scheme, true)?.isAuthenticated) {
          expanded = true;
          out.push({ perms: a.perms, id: { scheme: cid.scheme, id: cid.id } });
        }
      }
      if (!expanded) throw new InvalidACLError(path);
    } else {
      const provider = authProvider(scheme, withX509);
      if (!provider) throw new InvalidACLError(path);
      if (id === null) throw new MarshallingError(path); // the provider's isValid(null)
      if (!provider.isValid(id)) throw new InvalidACLError(path);
      out.push({ perms: a.perms, id: { scheme, id } });
    }
  }
  return out;
}

/** ArrayList.contains over jute's ACL.equals: perms, then scheme.equals, then id.equals. */
function removeDuplicates(path: string, acls: readonly RequestACL[]): RequestACL[] {
  const out: RequestACL[] = [];
  for (const a of acls ?? []) {
    if (!out.some((o) => sameAcl(path, a, o))) out.push(a);
  }
  return out;
}

function sameAcl(path: string, x: RequestACL, y: RequestACL): boolean {
  if (!x || !y) return x === y;
  return (
    x.perms === y.perms &&
    javaEquals(path, x.id.scheme, y.id.scheme) &&
    javaEquals(path, x.id.id, y.id.id)
  );
}

/** `a.equals(b)` on Java strings: a null receiver throws, which ZooKeeper reports as above. */
function javaEquals(path: string, a: string | null, b: string | null): boolean {
  if (a === null) throw new MarshallingError(path);
  return a === b;
}
