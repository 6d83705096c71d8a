import type { TaskContext } from '@shepherd/taskqueue';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });
}

/**
 * The task types the tests run, in this process or in a role process:
 *
 *   echo   any payload  returns it
 *   sleep  {ms}         waits ms milliseconds, stops early when aborted; returns {slept: ms}
 *   fail   {times}      throws on the first `times` attempts, then returns {attempt}
 */
export const TEST_HANDLERS = {
  echo: (t: TaskContext): unknown => t.payload,
  sleep: async (t: TaskContext): Promise<{ slept: number }> => {
    const { ms } = t.payload as { ms: number };
    await sleep(ms, t.signal);
    return { slept: ms };
  },
  fail: (t: TaskContext): { attempt: number } => {
    const { times } = t.payload as { times: number };
    if (t.attempt <= times) throw new Error(`fail #${t.attempt}`);
    return { attempt: t.attempt };
  },
};
