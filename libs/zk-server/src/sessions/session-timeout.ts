/**
 * Session timeout negotiation (ZooKeeperServer.processConnectRequest): the client's request is
 * clamped to [min, max], which default to 2 and 20 ticks (setMinSessionTimeout /
 * setMaxSessionTimeout treat -1 / unset as "derive from tickTime").
 */
export interface SessionTimeoutBounds {
  min: number;
  max: number;
}

export const DEFAULT_MIN_SESSION_TIMEOUT_TICKS = 2;
export const DEFAULT_MAX_SESSION_TIMEOUT_TICKS = 20;

export function sessionTimeoutBounds(
  tickTime: number,
  minSessionTimeout?: number,
  maxSessionTimeout?: number,
): SessionTimeoutBounds {
  const min =
    minSessionTimeout === undefined || minSessionTimeout === -1
      ? tickTime * DEFAULT_MIN_SESSION_TIMEOUT_TICKS
      : minSessionTimeout;
  const max =
    maxSessionTimeout === undefined || maxSessionTimeout === -1
      ? tickTime * DEFAULT_MAX_SESSION_TIMEOUT_TICKS
      : maxSessionTimeout;
  // ZooKeeper (QuorumPeerConfig) refuses min > max at config time; so do we.
  if (min > max) {
    throw new RangeError(`minSessionTimeout ${min} must not exceed maxSessionTimeout ${max}`);
  }
  return { min, max };
}

/** Min first, then max: the same order of checks as processConnectRequest. */
export function negotiateSessionTimeout(requested: number, bounds: SessionTimeoutBounds): number {
  let timeout = requested;
  if (timeout < bounds.min) timeout = bounds.min;
  if (timeout > bounds.max) timeout = bounds.max;
  return timeout;
}
