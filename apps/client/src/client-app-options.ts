import type { ClientEnv, Logger } from '../../app-kit/src';

/** What the client app is built from: its environment and a few knobs tests turn down. */
export interface ClientAppOptions {
  env: ClientEnv;
  logger: Logger;
  /** A comment line on every open /events stream this often, so proxies keep it open. */
  sseHeartbeatMs?: number;
  /**
   * Cluster reads behind /stats and /metrics are shared for this long, and so is the list of
   * live workers that submissions are checked against (the `warning` of a 202).
   */
  statsCacheMs?: number;
}

export type ResolvedClientAppOptions = Required<ClientAppOptions>;

export const CLIENT_APP_OPTIONS = Symbol('CLIENT_APP_OPTIONS');

export const DEFAULT_SSE_HEARTBEAT_MS = 15_000;
export const DEFAULT_STATS_CACHE_MS = 1_000;

export function resolveClientAppOptions(options: ClientAppOptions): ResolvedClientAppOptions {
  return {
    env: options.env,
    logger: options.logger,
    sseHeartbeatMs: options.sseHeartbeatMs ?? DEFAULT_SSE_HEARTBEAT_MS,
    statsCacheMs: options.statsCacheMs ?? DEFAULT_STATS_CACHE_MS,
  };
}
