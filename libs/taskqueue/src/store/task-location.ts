import { Stat } from '@shepherd/zk-protocol';
import { TaskRecord } from '../model/task-record';

/** The area a task's znode is in. */
export type TaskArea = 'waiting' | 'tasks' | 'assign' | 'status' | 'dead';

/** A task as read from the tree: its record and the znode that holds it. */
export interface StoredTask {
  record: TaskRecord;
  area: TaskArea;
  path: string;
  /** The znode's data version: what the next versioned write or delete must name. */
  version: number;
  stat: Stat;
  /** Set when area is 'assign'. */
  workerId?: string;
}
