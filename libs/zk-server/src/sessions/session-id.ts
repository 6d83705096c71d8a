/**
 * Session ids, laid out as SessionTrackerImpl.initializeNextSessionId does:
 * high byte = server id, next 5 bytes = low 40 bits of the time in ms, low 2 bytes = 0
 * (ids then count up from there). `(time << 24) >>> 8` on a Java long is reproduced with
 * 64-bit masking, and the result is a signed 64-bit value like the Java long it mirrors
 * (only a server id >= 128 makes it negative; standalone uses 0).
 */

const MASK_64 = (1n << 64n) - 1n;

/**
 * EphemeralType.CONTAINER_EPHEMERAL_OWNER (Long.MIN_VALUE) marks container nodes, never a
 * session. Private copy: the data tree exports the public constant.
 */
const CONTAINER_EPHEMERAL_OWNER = -(1n << 63n);

/** Standalone ZooKeeper runs as server id 0. */
export const STANDALONE_SERVER_ID = 0;

export function initializeNextSessionId(timeMs: number, serverId = STANDALONE_SERVER_ID): bigint {
  if (!Number.isInteger(serverId) || serverId < 0 || serverId > 255) {
    throw new RangeError(`server id must be 0..255, got ${serverId}`);
  }
  const shifted = ((BigInt(Math.floor(timeMs)) << 24n) & MASK_64) >> 8n;
  let id = BigInt.asIntN(64, shifted | (BigInt(serverId) << 56n));
  if (id === CONTAINER_EPHEMERAL_OWNER) id++;
  return id;
}

/** The id after `id`, wrapping like a Java long's ++. */
export function nextSessionIdAfter(id: bigint): bigint {
  return BigInt.asIntN(64, id + 1n);
}

/** "0x..." as ZooKeeper logs and 4lw output print ids (Long.toHexString: two's complement). */
export function sessionIdToHex(id: bigint): string {
  return `0x${BigInt.asUintN(64, id).toString(16)}`;
}
