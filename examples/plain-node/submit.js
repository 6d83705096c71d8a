// Submits a few tasks, waits for each to finish and prints the results. Exits non-zero if any
// task did not end done.
const { TaskQueueClient } = require('@shepherd/taskqueue');
const { connect } = require('./connection');

async function main() {
  const connection = await connect();
  const tasks = new TaskQueueClient({ connection });
  const submitted = [
    await tasks.submit('wordcount', { text: 'the quick brown fox jumps over the lazy dog' }),
    await tasks.submit('flaky', null, { maxAttempts: 3, backoffMs: 100 }),
  ];
  let ok = true;
  for (const { id, type } of submitted) {
    const task = await tasks.wait(id, 60_000);
    console.log(`${type} ${id}: ${task.state} ${JSON.stringify(task.result ?? task.error)}`);
    ok = ok && task.state === 'done';
  }
  tasks.close();
  await connection.close();
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
