import { ACL, Id, InvalidACLError } from '@shepherd/zk-protocol';
import { ANYONE_ID, AUTH_SCHEME, WORLD_SCHEME } from './auth-info';
import { authProvider } from './auth-providers';

/**
 * PrepRequestProcessor.fixupACL: validates the ACL of a create/setACL and expands `auth`
 * entries. Duplicates are removed first (ZOOKEEPER-1877); an empty list, an unknown scheme,
 * an id its provider rejects, world with an id other than "anyone", or an `auth` entry from a
 * connection with no authenticated id (digest; ip does not count) all give InvalidACL. Each
 * `auth` entry becomes one entry per authenticated id, with the entry's perms.
 */
export function fixupACL(path: string, authInfo: readonly Id[], acls: readonly ACL[]): ACL[] {
  const unique = removeDuplicates(acls);
  if (unique.length === 0) throw new InvalidACLError(path);
  const out: ACL[] = [];
  for (const a of unique) {
    if (!a || !a.id || typeof a.id.scheme !== 'string') throw new InvalidACLError(path);
    const { scheme, id } = a.id;
    if (scheme === WORLD_SCHEME && id === ANYONE_ID) {
      out.push(a);
    } else if (scheme === AUTH_SCHEME) {
      let expanded = false;
      for (const cid of authInfo) {
        if (authProvider(cid.scheme)?.isAuthenticated) {
          expanded = true;
          out.push({ perms: a.perms, id: { scheme: cid.scheme, id: cid.id } });
        }
      }
      if (!expanded) throw new InvalidACLError(path);
    } else {
      const provider = authProvider(scheme);
      if (!provider || typeof id !== 'string' || !provider.isValid(id)) {
        throw new InvalidACLError(path);
      }
      out.push(a);
    }
  }
  return out;
}

function removeDuplicates(acls: readonly ACL[]): ACL[] {
  const out: ACL[] = [];
  for (const a of acls ?? []) {
    if (!out.some((o) => sameAcl(o, a))) out.push(a);
  }
  return out;
}

function sameAcl(x: ACL, y: ACL): boolean {
  if (!x || !y) return x === y;
  return x.perms === y.perms && x.id?.scheme === y.id?.scheme && x.id?.id === y.id?.id;
}
