import { EphemeralKind, ephemeralKind } from './ephemeral-type';

/**
 * The tree's nodes indexed by ephemeral type (DataTree.java's `ephemerals`, `containers` and
 * `ttls`, kept by createNode/deleteNode through EphemeralType.get(ephemeralOwner)): the
 * ephemeral nodes of each session, for closeSession, and the container and TTL nodes, for the
 * container manager. Persistent nodes are not indexed.
 */
export class EphemeralIndex {
  /** Paths of the ephemeral nodes of each session. */
  private readonly ephemeralsBySession = new Map<bigint, Set<string>>();
  private readonly containerPaths = new Set<string>();
  private readonly ttlPaths = new Set<string>();

  /** Sessions owning ephemeral nodes, with their paths (live view; do not mutate). */
  get ephemerals(): ReadonlyMap<bigint, ReadonlySet<string>> {
    return this.ephemeralsBySession;
  }

  /** Paths of container nodes (live view), for the container manager. */
  get containers(): ReadonlySet<string> {
    return this.containerPaths;
  }

  /** Paths of TTL nodes (live view), for the container manager. */
  get ttls(): ReadonlySet<string> {
    return this.ttlPaths;
  }

  /** Forgets a closed session's entry (DataTree.killSession, once its nodes are deleted). */
  forgetSession(sessionId: bigint): void {
    this.ephemeralsBySession.delete(sessionId);
  }

  track(path: string, ephemeralOwner: bigint): void {
    switch (ephemeralKind(ephemeralOwner)) {
      case EphemeralKind.Void:
        return;
      case EphemeralKind.Container:
        this.containerPaths.add(path);
        return;
      case EphemeralKind.Ttl:
        this.ttlPaths.add(path);
        return;
      case EphemeralKind.Normal: {
        let set = this.ephemeralsBySession.get(ephemeralOwner);
        if (!set) {
          set = new Set();
          this.ephemeralsBySession.set(ephemeralOwner, set);
        }
        set.add(path);
      }
    }
  }

  untrack(path: string, ephemeralOwner: bigint): void {
    switch (ephemeralKind(ephemeralOwner)) {
      case EphemeralKind.Void:
        return;
      case EphemeralKind.Container:
        this.containerPaths.delete(path);
        return;
      case EphemeralKind.Ttl:
        this.ttlPaths.delete(path);
        return;
      case EphemeralKind.Normal: {
        const set = this.ephemeralsBySession.get(ephemeralOwner);
        if (!set) return;
        set.delete(path);
        if (set.size === 0) this.ephemeralsBySession.delete(ephemeralOwner);
      }
    }
  }
}
