import { Injectable } from '@nestjs/common';
import { TaskHandler } from '@shepherd/nestjs';
import { FailedDependency, TaskContext } from '@shepherd/taskqueue';
import { FailPayload, Sha256Payload, SleepPayload, parsePayload } from './sample-payloads';
import { sha256Rounds } from './sha256-rounds';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The task types the worker app ships, to try the queue out:
 *
 *   echo    any payload       returns it
 *   sleep   {ms}              waits ms milliseconds, stops early when aborted
 *   sha256  {data, rounds}    CPU work: SHA-256 of data, rehashed rounds times; reports the
 *                             fraction done as progress
 *   fail    {times}           throws on the first `times` attempts, then returns {attempt}
 *   join    any payload       in a flow: returns the results of its dependencies
 *                             ({dependencies}, and {failedDependencies} when some failed)
 *
 * A malformed payload fails the task at once (NonRetryableError). Your own handlers are
 * written the same way: a provider method with @TaskHandler('<type>').
 */
@Injectable()
export class SampleHandlers {
  @TaskHandler('echo')
  echo(task: TaskContext): unknown {
    return task.payload ?? null;
  }

  @TaskHandler('sleep')
  async sleep(task: TaskContext): Promise<{ slept: number }> {
    const { ms } = parsePayload(task.type, SleepPayload, task.payload);
    await sleep(ms, task.signal);
    return { slept: ms };
  }

  @TaskHandler('sha256')
  async sha256(task: TaskContext): Promise<{ digest: string; rounds: number }> {
    const { data, rounds } = parsePayload(task.type, Sha256Payload, task.payload);
    const digest = await sha256Rounds(data, rounds, {
      signal: task.signal,
      onProgress: (fraction) => task.progress(Math.round(fraction * 1000) / 1000),
    });
    return { digest, rounds };
  }

  @TaskHandler('fail')
  fail(task: TaskContext): { attempt: number } {
    const { times } = parsePayload(task.type, FailPayload, task.payload);
    if (task.attempt <= times)
      throw new Error(`fail: attempt ${task.attempt} of the first ${times} fails on purpose`);
    return { attempt: task.attempt };
  }

  @TaskHandler('join')
  join(task: TaskContext): {
    dependencies: Record<string, unknown>;
    failedDependencies?: Record<string, FailedDependency>;
  } {
    const out: {
      dependencies: Record<string, unknown>;
      failedDependencies?: Record<string, FailedDependency>;
    } = { dependencies: { ...task.dependencies } };
    if (Object.keys(task.failedDependencies).length > 0)
      out.failedDependencies = { ...task.failedDependencies };
    return out;
  }
}
