import { EventType } from '@shepherd/zk-protocol';

/**
 * A watch event a txn caused, as data: DataTree.processTxn reports these and the WatchManager
 * decides who is told (DataTree.java calls dataWatches/childWatches.triggerWatch directly).
 *
 * For `NodeDeleted` on a path, ZooKeeper fires both the data watches and the child watches of
 * that path (deleteNode: dataWatches.triggerWatch(path, NodeDeleted) then
 * childWatches.triggerWatch(path, NodeDeleted, alreadyNotified)); the WatchManager must do the same.
 */
export interface WatchTrigger {
  path: string;
  type: EventType;
}
