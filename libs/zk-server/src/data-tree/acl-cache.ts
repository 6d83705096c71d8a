import { ACL } from '@app/zk-protocol';

interface Entry {
  acl: readonly ACL[];
  refs: number;
}

/**
 * Interns ACL lists so nodes with equal lists share one frozen array, with reference counts so
 * lists no node uses any more are dropped (ReferenceCountedACLCache.java, which maps lists to
 * longs for the same reason). Order matters: [a, b] and [b, a] are different lists, as in Java.
 */
export class AclCache {
  private readonly byKey = new Map<string, Entry>();
  private readonly byList = new Map<readonly ACL[], Entry>();

  /** The shared copy of `acl`, counting one more user. */
  acquire(acl: readonly ACL[]): readonly ACL[] {
    const known = this.byList.get(acl);
    if (known) {
      known.refs++;
      return known.acl;
    }
    const key = aclKey(acl);
    let entry = this.byKey.get(key);
    if (!entry) {
      const frozen = Object.freeze(
        acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ ...a.id }) })),
      );
      entry = { acl: frozen, refs: 0 };
      this.byKey.set(key, entry);
      this.byList.set(frozen, entry);
    }
    entry.refs++;
    return entry.acl;
  }

  /** One user of the shared list `acl` (as returned by acquire) is gone. */
  release(acl: readonly ACL[]): void {
    const entry = this.byList.get(acl);
    if (!entry) return;
    if (--entry.refs <= 0) {
      this.byList.delete(entry.acl);
      this.byKey.delete(aclKey(entry.acl));
    }
  }

  /** Forgets every list (a tree being rebuilt by restore). */
  clear(): void {
    this.byKey.clear();
    this.byList.clear();
  }

  /** Number of distinct lists in use. */
  get size(): number {
    return this.byKey.size;
  }
}

function aclKey(acl: readonly ACL[]): string {
  // \u0000 cannot appear in a scheme or id that passed validation, so it is a safe separator.
  let key = '';
  for (const a of acl) key += `${a.perms}\u0000${a.id.scheme}\u0000${a.id.id}\u0000`;
  return key;
}
