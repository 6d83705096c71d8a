// Your handlers: one function per task type, given the task context (payload, attempt, an
// AbortSignal, progress()). What a handler returns is the task's result; what it throws fails
// the attempt (retried with backoff, then dead-lettered). The same module runs under
// `npx shepherd worker --handlers ./handlers.js`.
const { NonRetryableError } = require('@shepherd/taskqueue');

/** Counts the words of `payload.text`, reporting progress as it goes. */
exports.wordcount = async (task) => {
  const { text } = task.payload ?? {};
  if (typeof text !== 'string') throw new NonRetryableError('payload.text must be a string');
  const words = text.split(/\s+/).filter(Boolean);
  const counts = {};
  words.forEach((word, i) => {
    counts[word.toLowerCase()] = (counts[word.toLowerCase()] ?? 0) + 1;
    if (i % 1000 === 0) task.progress({ done: i / words.length });
  });
  return { words: words.length, distinct: Object.keys(counts).length };
};

/** Fails on the first attempt, succeeds on the second: retries are the queue's job. */
exports.flaky = async (task) => {
  if (task.attempt < 2) throw new Error(`attempt ${task.attempt} failed on purpose`);
  return { attempt: task.attempt };
};
