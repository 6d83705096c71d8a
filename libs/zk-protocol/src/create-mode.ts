/**
 * Node creation modes; the numeric value is the `flags` field of CreateRequest
 * (CreateMode.java, constructor arguments and fromFlag()).
 */
export enum CreateMode {
  PERSISTENT = 0,
  EPHEMERAL = 1,
  PERSISTENT_SEQUENTIAL = 2,
  EPHEMERAL_SEQUENTIAL = 3,
  CONTAINER = 4,
  PERSISTENT_WITH_TTL = 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL = 6,
}

export function isEphemeral(mode: CreateMode): boolean {
  return mode === CreateMode.EPHEMERAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL;
}

export function isSequential(mode: CreateMode): boolean {
  return (
    mode === CreateMode.PERSISTENT_SEQUENTIAL ||
    mode === CreateMode.EPHEMERAL_SEQUENTIAL ||
    mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL
  );
}

export function isTTL(mode: CreateMode): boolean {
  return (
    mode === CreateMode.PERSISTENT_WITH_TTL || mode === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL
  );
}

export function isContainer(mode: CreateMode): boolean {
  return mode === CreateMode.CONTAINER;
}

/** CreateMode.fromFlag(flag, null): undefined for a flag value ZooKeeper does not know. */
export function createModeFromFlag(flag: number): CreateMode | undefined {
  return Number.isInteger(flag) && flag >= 0 && flag <= 6 ? (flag as CreateMode) : undefined;
}
