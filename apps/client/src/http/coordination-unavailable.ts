/**
 * The coordination service cannot be reached right now (the session is disconnected, or a
 * request to it was lost). Answered 503 with Retry-After by CoordinationErrorFilter.
 */
export class CoordinationUnavailableError extends Error {
  constructor(message = 'the coordination service (ZooKeeper) is unreachable; try again shortly') {
    super(message);
    this.name = 'CoordinationUnavailableError';
  }
}
