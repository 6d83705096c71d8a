import { ACL, Id, NoAuthError } from '@shepherd/zk-protocol';
import { ANYONE_ID, SUPER_SCHEME, WORLD_SCHEME } from './auth-info';
import { authProvider } from './auth-providers';

/**
 * ZooKeeperServer.checkACL as a predicate: may a connection with `authInfo` do `perm` on a
 * node with `acl`? An empty ACL allows everything; a `super` id allows everything; otherwise
 * some entry granting `perm` must be world:anyone or match one of the connection's ids of the
 * same scheme through that scheme's provider.
 */
export function hasPermission(acl: readonly ACL[], perm: number, authInfo: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  for (const id of authInfo) {
    if (id.scheme === SUPER_SCHEME) return true;
  }
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    if (a.id.scheme === WORLD_SCHEME && a.id.id === ANYONE_ID) return true;
    const provider = authProvider(a.id.scheme, true);
    if (!provider) continue;
    for (const id of authInfo) {
      if (id.scheme === a.id.scheme && provider.matches(id.id, a.id.id)) return true;
    }
  }
  return false;
}

export interface CheckAclOptions {
  /** zookeeper.skipACL: no checks at all. */
  skipACL?: boolean;
}

/** ZooKeeperServer.checkACL: throws NoAuthError (for `path`) when not permitted. */
export function checkACL(
  acl: readonly ACL[],
  perm: number,
  authInfo: readonly Id[],
  path?: string,
  opts: CheckAclOptions = {},
): void {
  if (opts.skipACL) return;
  if (!hasPermission(acl, perm, authInfo)) throw new NoAuthError(path);
}
