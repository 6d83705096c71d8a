import { ZooKeeperClient, withRetry } from '@shepherd/zk-client';
import { ACL, NodeExistsError } from '@shepherd/zk-protocol';

/**
 * Creates `path` and any missing ancestors as empty persistent nodes (kazoo's ensure_path).
 * Idempotent, so a ConnectionLoss is simply retried: NodeExists on the retry means done.
 */
export async function ensurePath(
  client: ZooKeeperClient,
  path: string,
  acl?: ACL[],
): Promise<void> {
  if (path === '/' || (await withRetry(() => client.exists(path))) !== null) return;
  let prefix = '';
  for (const segment of path.split('/').slice(1)) {
    prefix += `/${segment}`;
    await withRetry(async () => {
      try {
        await client.create(prefix, null, acl ? { acl } : {});
      } catch (err) {
        if (!(err instanceof NodeExistsError)) throw err;
      }
    });
  }
}

/** "/a/b/c" -> "/a/b"; "/a" -> "/". */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** "/a/b/c" -> "c". */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a parent and a child name without doubling the slash under the root. */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}
