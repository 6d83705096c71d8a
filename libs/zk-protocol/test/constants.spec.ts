import {
  ANYONE_ID_UNSAFE,
  AUTH_IDS,
  AddWatchMode,
  CREATOR_ALL_ACL,
  CreateMode,
  EventType,
  KeeperState,
  OPEN_ACL_UNSAFE,
  OpCode,
  PROTOCOL_VERSION,
  Perms,
  READ_ACL_UNSAFE,
  WatcherType,
  Xid,
  createModeFromFlag,
  isContainer,
  isEphemeral,
  isSequential,
  isSpecialXid,
  isTTL,
} from '../src';

// Literal values copied by hand from ZooDefs.java, ClientCnxn.java, CreateMode.java,
// Watcher.java and AddWatchMode.java, so a typo in the enums is caught here.

describe('constants', () => {
  it('OpCode (ZooDefs.OpCode)', () => {
    // prettier-ignore
    expect({ ...OpCode }).toMatchObject({
      notification: 0, create: 1, delete: 2, exists: 3, getData: 4, setData: 5, getACL: 6,
      setACL: 7, getChildren: 8, sync: 9, ping: 11, getChildren2: 12, check: 13, multi: 14,
      create2: 15, reconfig: 16, checkWatches: 17, removeWatches: 18, createContainer: 19,
      deleteContainer: 20, createTTL: 21, multiRead: 22, auth: 100, setWatches: 101, sasl: 102,
      getEphemerals: 103, getAllChildrenNumber: 104, setWatches2: 105, addWatch: 106,
      whoAmI: 107, createSession: -10, closeSession: -11, error: -1,
    });
  });

  it('special xids (ClientCnxn)', () => {
    expect([Xid.Notification, Xid.Ping, Xid.Auth, Xid.SetWatches]).toEqual([-1, -2, -4, -8]);
    expect([-1, -2, -4, -8].every(isSpecialXid)).toBe(true);
    expect([0, 1, -3, 2147483647].some(isSpecialXid)).toBe(false);
  });

  it('CreateMode flags and helpers', () => {
    const table: Array<[CreateMode, number, boolean, boolean, boolean, boolean]> = [
      // mode, flag, ephemeral, sequential, container, ttl
      [CreateMode.PERSISTENT, 0, false, false, false, false],
      [CreateMode.EPHEMERAL, 1, true, false, false, false],
      [CreateMode.PERSISTENT_SEQUENTIAL, 2, false, true, false, false],
      [CreateMode.EPHEMERAL_SEQUENTIAL, 3, true, true, false, false],
      [CreateMode.CONTAINER, 4, false, false, true, false],
      [CreateMode.PERSISTENT_WITH_TTL, 5, false, false, false, true],
      [CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 6, false, true, false, true],
    ];
    for (const [mode, flag, eph, seq, container, ttl] of table) {
      expect(mode).toBe(flag);
      expect(createModeFromFlag(flag)).toBe(mode);
      expect([isEphemeral(mode), isSequential(mode), isContainer(mode), isTTL(mode)]).toEqual([
        eph,
        seq,
        container,
        ttl,
      ]);
    }
    expect(createModeFromFlag(7)).toBeUndefined();
    expect(createModeFromFlag(-1)).toBeUndefined();
  });

  it('watcher enums (Watcher.java)', () => {
    // prettier-ignore
    expect({ ...EventType }).toMatchObject({
      None: -1, NodeCreated: 1, NodeDeleted: 2, NodeDataChanged: 3, NodeChildrenChanged: 4,
      DataWatchRemoved: 5, ChildWatchRemoved: 6, PersistentWatchRemoved: 7,
    });
    // prettier-ignore
    expect({ ...KeeperState }).toMatchObject({
      Disconnected: 0, SyncConnected: 3, AuthFailed: 4, ConnectedReadOnly: 5,
      SaslAuthenticated: 6, Expired: -112, Closed: 7,
    });
    // prettier-ignore
    expect({ ...WatcherType }).toMatchObject({
      Children: 1, Data: 2, Any: 3, Persistent: 4, PersistentRecursive: 5,
    });
    expect([AddWatchMode.PERSISTENT, AddWatchMode.PERSISTENT_RECURSIVE]).toEqual([0, 1]);
  });

  it('Perms and the standard ACLs (ZooDefs.Perms, ZooDefs.Ids)', () => {
    expect([Perms.READ, Perms.WRITE, Perms.CREATE, Perms.DELETE, Perms.ADMIN, Perms.ALL]).toEqual([
      1, 2, 4, 8, 16, 31,
    ]);
    expect(ANYONE_ID_UNSAFE).toEqual({ scheme: 'world', id: 'anyone' });
    expect(AUTH_IDS).toEqual({ scheme: 'auth', id: '' });
    expect(OPEN_ACL_UNSAFE).toEqual([{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    expect(CREATOR_ALL_ACL).toEqual([{ perms: 31, id: { scheme: 'auth', id: '' } }]);
    expect(READ_ACL_UNSAFE).toEqual([{ perms: 1, id: { scheme: 'world', id: 'anyone' } }]);
    expect(Object.isFrozen(OPEN_ACL_UNSAFE)).toBe(true);
    expect(Object.isFrozen(OPEN_ACL_UNSAFE[0])).toBe(true);
    expect(PROTOCOL_VERSION).toBe(0);
  });
});
