import { paths } from '../layout/paths';
import { TaskRecord } from '../model/task-record';
import { Transition, TransitionContext, createOp, createRecordOp, keyHash } from './transition';

/**
 * Queue a new task: create /tasks/<b>/<id>, and with an idempotency key also /keys/<b>/<hash>
 * naming it. A second submission with the same key fails on the key's create (NodeExists), and
 * the submitter reads the key to return the first task.
 */
export function submitTransition(ctx: TransitionContext, record: TaskRecord): Transition {
  const path = paths.task(record.id);
  const ops = [createRecordOp(ctx, path, record)];
  const key = record.options.idempotencyKey;
  if (key !== undefined)
    ops.unshift(createOp(ctx, paths.key(keyHash(key)), Buffer.from(record.id)));
  return { ops, record, path };
}
