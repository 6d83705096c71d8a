// A master candidate. Start two or more: one is elected and assigns tasks to workers, the
// others stand by and take over within the session timeout if it dies.
const { Master } = require('@shepherd/taskqueue');
const { connect, closeOnSignal } = require('./connection');

async function main() {
  const connection = await connect();
  const master = new Master({ id: process.env.MASTER_ID || `master-${process.pid}`, connection });
  await master.start();
  console.log(`master ${master.id} started`);
  closeOnSignal(
    () => master.stop(),
    () => connection.close(),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
