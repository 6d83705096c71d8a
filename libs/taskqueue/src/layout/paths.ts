import { bucketOf } from './buckets';

/**
 * The znode layout (see the README's "Znode layout"), relative to the connection's chroot:
 *
 *   /layout                     marker: layout version and bucket count
 *   /election/_c_<guid>-n_<seq> master candidates (ephemeral sequential)
 *   /workers/<workerId>         live workers (ephemeral)
 *   /tasks/<bucket>/<taskId>    queued tasks
 *   /assign/<workerId>/<taskId> tasks assigned to a worker (assigned or running)
 *   /status/<bucket>/<taskId>   terminal records: done, failed, cancelled
 *   /dead/<bucket>/<taskId>     tasks that exhausted their attempts
 *   /keys/<bucket>/<keyHash>    idempotency keys: data is the task id
 *   /schedules/<name>           schedules (cron or fixed interval) and their last fire time
 *   /queues/<type>              per-type queue settings: paused, concurrency, rate limit
 *   /waiting/<bucket>/<taskId>  flow tasks whose dependencies have not all ended (state waiting)
 *   /flows/<flowId>             a flow (a DAG of tasks): its record, keys, ids and dependencies
 *   /flows/<flowId>/<key>       marker: that task of the flow ended ({state, taskId}); created in
 *                               the multi that makes the task terminal
 */
export const ROOTS = Object.freeze({
  layout: '/layout',
  election: '/election',
  workers: '/workers',
  tasks: '/tasks',
  assign: '/assign',
  status: '/status',
  dead: '/dead',
  keys: '/keys',
  schedules: '/schedules',
  queues: '/queues',
  waiting: '/waiting',
  flows: '/flows',
});

/** The areas split into buckets. */
export const BUCKETED_ROOTS = [
  ROOTS.tasks,
  ROOTS.status,
  ROOTS.dead,
  ROOTS.keys,
  ROOTS.waiting,
] as const;

/**
 * Roots added after the first layout (version 1): a tree laid out before them gets them, with
 * their buckets, the first time a process of this version starts (ensureLayout), without a new
 * layout version, so older processes keep running on it.
 */
export const LATER_ROOTS: readonly { root: string; bucketed: boolean }[] = [
  { root: ROOTS.queues, bucketed: false },
  { root: ROOTS.waiting, bucketed: true },
  { root: ROOTS.flows, bucketed: false },
];

export const paths = {
  worker: (workerId: string) => `${ROOTS.workers}/${workerId}`,
  taskBucket: (bucket: string) => `${ROOTS.tasks}/${bucket}`,
  task: (id: string) => `${ROOTS.tasks}/${bucketOf(id)}/${id}`,
  assignRoot: (workerId: string) => `${ROOTS.assign}/${workerId}`,
  assignment: (workerId: string, id: string) => `${ROOTS.assign}/${workerId}/${id}`,
  statusBucket: (bucket: string) => `${ROOTS.status}/${bucket}`,
  status: (id: string) => `${ROOTS.status}/${bucketOf(id)}/${id}`,
  deadBucket: (bucket: string) => `${ROOTS.dead}/${bucket}`,
  dead: (id: string) => `${ROOTS.dead}/${bucketOf(id)}/${id}`,
  keyBucket: (bucket: string) => `${ROOTS.keys}/${bucket}`,
  key: (keyHash: string) => `${ROOTS.keys}/${bucketOf(keyHash)}/${keyHash}`,
  schedule: (name: string) => `${ROOTS.schedules}/${name}`,
  queue: (type: string) => `${ROOTS.queues}/${type}`,
  waitingBucket: (bucket: string) => `${ROOTS.waiting}/${bucket}`,
  waiting: (id: string) => `${ROOTS.waiting}/${bucketOf(id)}/${id}`,
  flow: (flowId: string) => `${ROOTS.flows}/${flowId}`,
  flowMarker: (flowId: string, key: string) => `${ROOTS.flows}/${flowId}/${key}`,
};

/** Where a znode sits in the layout; what watchers of the whole tree need to classify events. */
export type LayoutLocation =
  | { area: 'tasks' | 'status' | 'dead' | 'waiting'; bucket: string; id?: string }
  | { area: 'assign'; workerId: string; id?: string }
  | { area: 'workers'; workerId?: string }
  | { area: 'election'; node?: string }
  | { area: 'keys'; bucket?: string; keyHash?: string }
  | { area: 'flows'; flowId?: string; key?: string };

/** Classifies a (chroot-relative) path, or undefined when it is not part of the layout. */
export function locate(path: string): LayoutLocation | undefined {
  const parts = path.split('/');
  if (parts[0] !== '' || parts.length < 2) return undefined;
  const [, root, a, b] = parts;
  if (parts.length > 4) return undefined;
  switch (root) {
    case 'tasks':
    case 'status':
    case 'dead':
    case 'waiting':
      if (a === undefined || parts.length < 3) return undefined;
      return b === undefined ? { area: root, bucket: a } : { area: root, bucket: a, id: b };
    case 'assign':
      if (a === undefined) return undefined;
      return b === undefined
        ? { area: 'assign', workerId: a }
        : { area: 'assign', workerId: a, id: b };
    case 'workers':
      if (parts.length > 3) return undefined;
      return a === undefined ? { area: 'workers' } : { area: 'workers', workerId: a };
    case 'election':
      if (parts.length > 3) return undefined;
      return a === undefined ? { area: 'election' } : { area: 'election', node: a };
    case 'keys':
      return { area: 'keys', bucket: a, keyHash: b };
    case 'flows':
      if (a === undefined) return { area: 'flows' };
      return b === undefined ? { area: 'flows', flowId: a } : { area: 'flows', flowId: a, key: b };
    default:
      return undefined;
  }
}
