import { NodeExistsError } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';

/** Creates `chroot` (one level) on the server behind `connectString`, if it is not there yet. */
export async function createChroot(connectString: string, chroot: string): Promise<void> {
  const root = new ZooKeeperClient(connectString);
  await root.connect();
  try {
    await root.create(chroot);
  } catch (err) {
    if (!(err instanceof NodeExistsError)) throw err;
  } finally {
    await root.close();
  }
}
