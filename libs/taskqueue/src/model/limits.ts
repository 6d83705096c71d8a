/**
 * Sizes that keep every znode and every multi inside ZooKeeper's jute.maxbuffer (1 MiB by
 * default, for a request as well as a reply): a task record carries its payload, its result and
 * its history, and is written whole on every transition.
 */
export const LIMITS = Object.freeze({
  /** JSON-encoded payload. The REST edge answers 413 above this. */
  maxPayloadBytes: 512 * 1024,
  /**
   * Levels of arrays and objects a payload may nest (the REST edge allows 100 for the whole
   * body). Real payloads rarely pass 20; a few thousand make JSON.stringify run out of stack.
   */
  maxPayloadDepth: 100,
  /** JSON-encoded result; a larger result fails the attempt with a clear error. */
  maxResultBytes: 256 * 1024,
  /** Progress values are small by design; they are written often. */
  maxProgressBytes: 4 * 1024,
  /** Error messages and stacks are cut to this many characters. */
  maxErrorChars: 8 * 1024,
  /** History entries kept per task (the first one, `queued`, is always kept). */
  maxHistory: 100,
  maxAttempts: 100,
  maxTimeoutMs: 24 * 3600 * 1000,
  maxDelayMs: 365 * 24 * 3600 * 1000,
  maxIdempotencyKeyChars: 256,
  /** A task's group name (SubmitOptions.group). */
  maxGroupChars: 128,
  /**
   * Task priorities, higher first. The id carries `maxPriority - priority` in 3 base-36
   * characters (model/task-id.ts), so the range must stay within 0..46655 once shifted.
   */
  minPriority: -1000,
  maxPriority: 1000,
  /** One multi stays under this many encoded bytes (jute.maxbuffer minus headroom)... */
  maxMultiBytes: 768 * 1024,
  /** ...and this many operations. */
  maxMultiOps: 1000,
});

/** Task type names: what the REST API accepts and what worker handlers are registered under. */
export const TASK_TYPE_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._:-]{1,64}$/;

/**
 * TASK_TYPE_PATTERN in words, for messages. `.` and `..` are excluded because type names are
 * znode names too (/queues/<type>, and schedule names /schedules/<name>), and ZooKeeper refuses
 * them as path components (PathUtils.validatePath: relative paths are not allowed).
 */
export const TASK_TYPE_RULE = '[A-Za-z0-9._:-]{1,64}, not . or ..';
