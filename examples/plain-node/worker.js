// A worker running the handlers of ./handlers.js. Start as many as you like, on any machine
// that reaches ZK_CONNECT; kill one mid-task and its tasks move to another.
const { Worker } = require('@shepherd/taskqueue');
const { connect, closeOnSignal } = require('./connection');
const handlers = require('./handlers');

async function main() {
  const connection = await connect();
  const worker = new Worker({
    id: process.env.WORKER_ID || `worker-${process.pid}`,
    connection,
    concurrency: 4,
    handlers,
  });
  await worker.start();
  console.log(`worker ${worker.id} started: ${worker.types.join(', ')}`);
  // stop() drains: tasks not started are handed back, running ones may finish.
  closeOnSignal(() => worker.stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
