import { ACL, NoNodeError } from '@shepherd/zk-protocol';
import { ZooKeeperClient } from '@shepherd/zk-client';
import { LayoutMismatchError } from '../errors';
import { BUCKETS, BUCKET_COUNT } from '../layout/buckets';
import { BUCKETED_ROOTS, LATER_ROOTS, ROOTS } from '../layout/paths';
import { createIfMissing } from './create-if-missing';
import { bytesOf } from './read-many';

export const LAYOUT_VERSION = 1;

interface LayoutMarker {
  version: number;
  buckets: number;
}

/**
 * Creates the znode layout once (roots and 5 x 256 buckets), then the /layout marker last, so a
 * process that finds the marker knows the rest is there. Any role may call it at start; racing
 * callers are harmless (NodeExists is success). A marker written with another bucket count or
 * version is refused: processes that disagree on buckets would not find each other's tasks.
 * A tree laid out before the later roots (LATER_ROOTS: /queues, /waiting and its buckets,
 * /flows) gets them here, /flows last, without a new layout version.
 */
export async function ensureLayout(client: ZooKeeperClient, acl?: ACL[]): Promise<void> {
  const marker = await readMarker(client);
  if (marker) {
    checkMarker(marker);
    return ensureLaterRoots(client, acl);
  }
  const wanted = [
    ...Object.values(ROOTS).filter((p) => p !== ROOTS.layout),
    ...BUCKETED_ROOTS.flatMap((root) => BUCKETS.map((b) => `${root}/${b}`)),
  ];
  // Parents come before children in `wanted`; creates are pipelined in slices of 256.
  const roots = wanted.filter((p) => p.split('/').length === 2);
  const buckets = wanted.filter((p) => p.split('/').length === 3);
  for (const group of [roots, buckets]) {
    for (let i = 0; i < group.length; i += 256) {
      await Promise.all(group.slice(i, i + 256).map((p) => createIfMissing(client, p, acl)));
    }
  }
  const data = Buffer.from(JSON.stringify({ version: LAYOUT_VERSION, buckets: BUCKET_COUNT }));
  await createIfMissing(client, ROOTS.layout, acl, data);
  const written = await readMarker(client);
  if (written) checkMarker(written);
}

/**
 * The roots added since layout version 1, in LATER_ROOTS order; the last one is created last,
 * so finding it (one exists call) means the others are there.
 */
async function ensureLaterRoots(client: ZooKeeperClient, acl?: ACL[]): Promise<void> {
  const last = LATER_ROOTS[LATER_ROOTS.length - 1].root;
  if ((await client.exists(last)) !== null) return;
  for (const { root, bucketed } of LATER_ROOTS) {
    await createIfMissing(client, root, acl);
    if (bucketed)
      await Promise.all(BUCKETS.map((b) => createIfMissing(client, `${root}/${b}`, acl)));
  }
}

async function readMarker(client: ZooKeeperClient): Promise<LayoutMarker | undefined> {
  try {
    const { data } = await client.getData(ROOTS.layout);
    return JSON.parse(bytesOf(data).toString('utf8')) as LayoutMarker;
  } catch (err) {
    if (err instanceof NoNodeError) return undefined;
    if (err instanceof SyntaxError) throw new LayoutMismatchError(`${ROOTS.layout} is not JSON`);
    throw err;
  }
}

function checkMarker(marker: LayoutMarker) {
  if (marker.version !== LAYOUT_VERSION || marker.buckets !== BUCKET_COUNT)
    throw new LayoutMismatchError(
      `the tree was laid out as version ${marker.version} with ${marker.buckets} buckets; ` +
        `this build expects version ${LAYOUT_VERSION} with ${BUCKET_COUNT}`,
    );
}
