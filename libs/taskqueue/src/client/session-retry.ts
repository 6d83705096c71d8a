import { filter, firstValueFrom, timeout } from 'rxjs';
import { SessionExpiredError } from '@shepherd/zk-protocol';
import { Clock, RetryPolicy, ZooKeeperClient, isRetryable } from '@shepherd/zk-client';
import { ZooKeeperConnection } from '@shepherd/coordination';

/** Attempts of one read before its error is the caller's (a reconnect takes a few). */
const READ_ATTEMPTS = 10;
const RETRY = { baseDelayMs: 50, maxDelayMs: 1000 };

/** How long to wait for the session that replaces an expired one. */
export function sessionWaitMs(expired: ZooKeeperClient): number {
  return Math.max(10_000, 2 * expired.sessionTimeout);
}

/**
 * The outcome of a write is unknown: the reply was lost (ConnectionLoss) or the session ended
 * while it was in flight (SessionExpired). Either way it may or may not have been applied, and
 * the book's rule is to read back before doing anything else.
 */
export function outcomeUnknown(err: unknown): boolean {
  return isRetryable(err) || err instanceof SessionExpiredError;
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/**
 * Resolves with the session after `dead`: the connection replays its current client, so this
 * returns at once when the replacement is already up. Rejects when none comes in time or the
 * connection was closed (sessions$ completes).
 */
export function nextSession(
  connection: ZooKeeperConnection,
  dead: ZooKeeperClient,
  timeoutMs: number,
): Promise<ZooKeeperClient> {
  return firstValueFrom(
    connection.sessions$.pipe(
      filter((c) => c !== dead),
      timeout({ first: timeoutMs }),
    ),
  );
}

/**
 * Runs a read on the current session, again after a ConnectionLoss (the client queues requests
 * while it reconnects, so the next attempt waits for the session to be back) and on the next
 * session after an expiry. Only for operations that are safe to repeat: reads, and writes whose
 * effect the caller checks.
 */
export async function retrying<T>(
  connection: ZooKeeperConnection,
  clock: Clock,
  fn: (client: ZooKeeperClient) => Promise<T>,
  attempts = READ_ATTEMPTS,
): Promise<T> {
  const policy = new RetryPolicy({ ...RETRY, maxAttempts: attempts, clock });
  for (let attempt = 1; ; attempt++) {
    const client = connection.client;
    try {
      return await fn(client);
    } catch (err) {
      if (!outcomeUnknown(err) || attempt >= attempts) throw err;
      if (err instanceof SessionExpiredError) {
        // A closed connection ends here: no next session, and the expiry is the caller's.
        await nextSession(connection, client, sessionWaitMs(client)).catch(() => {
          throw err;
        });
      } else {
        await sleep(clock, policy.delayFor(attempt));
      }
    }
  }
}
