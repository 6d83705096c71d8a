import 'reflect-metadata';
import { TASK_TYPE_PATTERN, TASK_TYPE_RULE } from '@shepherd/taskqueue';

/** Reflect-metadata key under which @TaskHandler stores the task type on the method. */
export const TASK_HANDLER_METADATA = 'shepherd:task-handler';

/**
 * Marks a provider method as the handler of one task type ("*": any type without a handler of
 * its own). WorkerModule finds it at bootstrap, binds it to its instance and registers it with
 * the Worker. The method receives a TaskContext; its return value is the task's result.
 *
 *   @Injectable()
 *   class Mailer {
 *     @TaskHandler('send-email')
 *     async send(task: TaskContext) { ... }
 *   }
 *
 * The metadata is what Nest's SetMetadata(TASK_HANDLER_METADATA, type) writes on a method (on
 * the function itself), written here without importing Nest at runtime (see ZooKeeperModule
 * for why).
 */
export function TaskHandler(type: string): MethodDecorator {
  if (type !== '*' && !TASK_TYPE_PATTERN.test(type))
    throw new TypeError(`@TaskHandler("${type}"): the type must match ${TASK_TYPE_RULE}`);
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(TASK_HANDLER_METADATA, type, descriptor.value as object);
    return descriptor;
  };
}

/** The type a method was decorated with, if any. */
export function taskHandlerType(method: unknown): string | undefined {
  if (typeof method !== 'function') return undefined;
  return Reflect.getMetadata(TASK_HANDLER_METADATA, method) as string | undefined;
}
