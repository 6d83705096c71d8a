import { Id } from '@shepherd/zk-protocol';

/**
 * The ids a connection has authenticated as (ServerCnxn.authInfo): `ip:<address>` from the
 * start, then one or more ids per successful `addauth` (digest adds `digest:user:hash`, and
 * also `super:` when it matches the super digest).
 */
export type AuthInfo = readonly Id[];

/** ZooKeeper's ACL schemes and the special ids. */
export const WORLD_SCHEME = 'world';
export const ANYONE_ID = 'anyone';
export const AUTH_SCHEME = 'auth';
export const DIGEST_SCHEME = 'digest';
export const IP_SCHEME = 'ip';
export const SUPER_SCHEME = 'super';
