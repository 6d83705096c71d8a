// How a znode's persisted ephemeralOwner encodes its kind (EphemeralType.java): 0 is a plain
// persistent node, Long.MIN_VALUE a container, a value with the high byte 0xFF and zero
// reserved bits a TTL node (the low 40 bits hold the ttl in ms), anything else the id of the
// session that owns an ephemeral node.

/** EphemeralType.CONTAINER_EPHEMERAL_OWNER (Long.MIN_VALUE). */
export const CONTAINER_EPHEMERAL_OWNER = -(1n << 63n);

const EXTENDED_MASK = 0xff00000000000000n;
const RESERVED_BITS_MASK = 0x00ffff0000000000n;
const RESERVED_BITS_SHIFT = 40n;
/** Extended feature bits 0x0000 mean TTL (EphemeralType.EXTENDED_BIT_TTL). */
const EXTENDED_BIT_TTL = 0n;

/** EphemeralType.TTL.maxValue(): the low 40 bits, about 34 years of milliseconds. */
export const MAX_TTL = 0xffffffffffn;

export enum EphemeralKind {
  /** ephemeralOwner 0: persistent. */
  Void = 'void',
  /** A session id. */
  Normal = 'normal',
  Container = 'container',
  Ttl = 'ttl',
}

/**
 * EphemeralType.get(). ZooKeeper only decodes the TTL pattern when extended types are enabled;
 * here it is decoded always, which only differs for a session id whose high byte is 0xFF
 * (ZooKeeper refuses such server ids when extended types are on, and our session ids never
 * have it), and keeps the tree independent of configuration for replay.
 */
export function ephemeralKind(ephemeralOwner: bigint): EphemeralKind {
  if (ephemeralOwner === 0n) return EphemeralKind.Void;
  if (ephemeralOwner === CONTAINER_EPHEMERAL_OWNER) return EphemeralKind.Container;
  const unsigned = BigInt.asUintN(64, ephemeralOwner);
  if (
    (unsigned & EXTENDED_MASK) === EXTENDED_MASK &&
    (unsigned & RESERVED_BITS_MASK) >> RESERVED_BITS_SHIFT === EXTENDED_BIT_TTL
  ) {
    return EphemeralKind.Ttl;
  }
  return EphemeralKind.Normal;
}

/** True when ttl is acceptable for a TTL node (EphemeralType.TTL.toEphemeralOwner's check). */
export function isValidTtl(ttl: bigint): boolean {
  return ttl > 0n && ttl <= MAX_TTL;
}

/** EphemeralType.TTL.toEphemeralOwner(ttl), as a signed 64-bit value; throws RangeError. */
export function ttlToEphemeralOwner(ttl: bigint): bigint {
  if (!isValidTtl(ttl)) {
    throw new RangeError(`ttl must be positive and cannot be larger than: ${MAX_TTL}`);
  }
  return BigInt.asIntN(64, EXTENDED_MASK | ttl);
}

/** The ttl (ms) of a TTL node's ephemeralOwner (EphemeralType.TTL.getValue). */
export function ttlOf(ephemeralOwner: bigint): bigint {
  return BigInt.asUintN(64, ephemeralOwner) & MAX_TTL;
}

/**
 * What clients see in Stat.ephemeralOwner (DataNode.getClientEphemeralOwner): the session id
 * for ephemeral nodes and 0 for everything else, containers and TTL nodes included (ZooKeeper
 * 3.8.0 reports 0 for both).
 */
export function clientEphemeralOwner(ephemeralOwner: bigint): bigint {
  return ephemeralKind(ephemeralOwner) === EphemeralKind.Normal ? ephemeralOwner : 0n;
}
