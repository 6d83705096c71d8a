import { ACL, NodeExistsError } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';

/** Creates a persistent node unless it exists (NodeExists is success: racing creators agree). */
export async function createIfMissing(
  client: ZooKeeperClient,
  path: string,
  acl?: ACL[],
  data?: Buffer,
): Promise<void> {
  try {
    await client.create(path, data ?? null, acl ? { acl } : {});
  } catch (err) {
    if (!(err instanceof NodeExistsError)) throw err;
  }
}
