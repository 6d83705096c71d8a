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
});

/** The areas split into buckets. */
export const BUCKETED_ROOTS = [ROOTS.tasks, ROOTS.status, ROOTS.dead, ROOTS.keys] as const;

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
};

/** Where a znode sits in the layout; what watchers of the whole tree need to classify events. */
export type LayoutLocation =
  | { area: 'tasks' | 'status' | 'dead'; bucket: string; id?: string }
  | { area: 'assign'; workerId: string; id?: string }
  | { area: 'workers'; workerId?: string }
  | { area: 'election'; node?: string }
  | { area: 'keys'; bucket?: string; keyHash?: string };

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
    default:
      return undefined;
  }
}
