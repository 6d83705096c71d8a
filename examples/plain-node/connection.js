// One ZooKeeper session per process, shared by whatever runs in it. ZK_CONNECT is a ZooKeeper
// connect string: the embedded coordinator (`npx shepherd coordinator`) or an Apache ZooKeeper
// ensemble (`zk1:2181,zk2:2181,zk3:2181`); everything is the same either way.
const { ZooKeeperConnection } = require('@shepherd/coordination');

const ZK_CONNECT = process.env.ZK_CONNECT || '127.0.0.1:2181';

async function connect() {
  const connection = new ZooKeeperConnection({ connectString: ZK_CONNECT, sessionTimeoutMs: 5000 });
  await connection.connect();
  return connection;
}

/** Closes `closeables` in order on SIGINT/SIGTERM, then exits. */
function closeOnSignal(...closeables) {
  const stop = async () => {
    for (const c of closeables) await c();
    process.exit(0);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}

module.exports = { ZK_CONNECT, connect, closeOnSignal };
