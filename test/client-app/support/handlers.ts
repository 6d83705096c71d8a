import type { TaskContext, TaskHandlers } from '@app/taskqueue';

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

/** The sample handlers the e2e tests run tasks with. */
export const TEST_HANDLERS: TaskHandlers = {
  echo: (t: TaskContext) => t.payload,
  sleep: async (t: TaskContext) => {
    const { ms } = t.payload as { ms: number };
    t.progress({ sleeping: ms });
    await sleep(ms, t.signal);
    return { slept: ms };
  },
  fail: (t: TaskContext) => {
    const { times } = t.payload as { times: number };
    if (t.attempt <= times) throw new Error(`fail #${t.attempt}`);
    return { attempt: t.attempt };
  },
};
