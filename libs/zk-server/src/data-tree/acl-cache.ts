import { ACL } from '@shepherd/zk-protocol';

interface Entry {
  id: number;
  acl: readonly ACL[];
  key: string;
  refs: number;
}

/**
 * Interns ACL lists so nodes with equal lists share one frozen array, with reference counts so
 * lists no node uses any more are dropped (ReferenceCountedACLCache.java, which maps lists to
 * longs for the same reason: a node stores a small int, not a reference). Order matters:
 * [a, b] and [b, a] are different lists, as in Java.
 */
export class AclCache {
  private readonly byKey = new Map<string, Entry>();
  private readonly byList = new Map<readonly ACL[], Entry>();
  /** Entries by id; ids of dropped lists are reused. */
  private readonly byId: Array<Entry | undefined> = [];
  private readonly freeIds: number[] = [];
  /** The list last acquired by content: requests mostly repeat it (a fresh array each time). */
  private last: Entry | null = null;

  /** The id of the shared copy of `acl`, counting one more user. */
  acquireId(acl: readonly ACL[]): number {
    const known = this.byList.get(acl);
    if (known) {
      known.refs++;
      return known.id;
    }
    const last = this.last;
    if (last !== null && last.refs > 0 && sameList(last.acl, acl)) {
      last.refs++;
      return last.id;
    }
    const key = aclKey(acl);
    let entry = this.byKey.get(key);
    if (!entry) {
      const frozen = Object.freeze(
        acl.map((a) => Object.freeze({ perms: a.perms, id: Object.freeze({ ...a.id }) })),
      );
      const id = this.freeIds.length > 0 ? (this.freeIds.pop() as number) : this.byId.length;
      entry = { id, acl: frozen, key, refs: 0 };
      this.byKey.set(key, entry);
      this.byList.set(frozen, entry);
      this.byId[id] = entry;
    }
    entry.refs++;
    this.last = entry;
    return entry.id;
  }

  /** The shared copy of `acl`, counting one more user. */
  acquire(acl: readonly ACL[]): readonly ACL[] {
    return this.list(this.acquireId(acl));
  }

  /** The shared list of an id handed out by acquireId (and not yet released by its last user). */
  list(id: number): readonly ACL[] {
    return (this.byId[id] as Entry).acl;
  }

  /** One user of the list `id` is gone. */
  releaseId(id: number): void {
    const entry = this.byId[id];
    if (!entry) return;
    if (--entry.refs <= 0) {
      this.byList.delete(entry.acl);
      this.byKey.delete(entry.key);
      this.byId[id] = undefined;
      this.freeIds.push(id);
    }
  }

  /** One user of the shared list `acl` (as returned by acquire) is gone. */
  release(acl: readonly ACL[]): void {
    const entry = this.byList.get(acl);
    if (entry) this.releaseId(entry.id);
  }

  /** Forgets every list (a tree being rebuilt by restore). */
  clear(): void {
    this.last = null;
    this.byKey.clear();
    this.byList.clear();
    this.byId.length = 0;
    this.freeIds.length = 0;
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

function sameList(a: readonly ACL[], b: readonly ACL[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.perms !== y.perms || x.id.scheme !== y.id.scheme || x.id.id !== y.id.id) return false;
  }
  return true;
}
