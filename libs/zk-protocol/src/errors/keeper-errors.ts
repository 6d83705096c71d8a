import { ErrorCode } from './error-codes';

/**
 * An error result reported by the server (KeeperException.java). `code` is the wire value
 * from ReplyHeader.err; `path` is the request path when the caller knows it.
 */
export class KeeperError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly path?: string,
  ) {
    super(keeperErrorMessage(code, path));
    this.name = new.target.name;
  }
}

/** Same shape as KeeperException.getMessage(): "KeeperErrorCode = NoNode for /a". */
function keeperErrorMessage(code: number, path?: string): string {
  const name = (ErrorCode as Record<number, string | undefined>)[code] ?? `Unknown error ${code}`;
  return path ? `KeeperErrorCode = ${name} for ${path}` : `KeeperErrorCode = ${name}`;
}

// One subclass per KeeperException.Code, so callers can `instanceof` the case they handle.
// Names are <Code>Error, except codes whose name already ends in "Error".
export class SystemError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.SystemError, path);
  }
}
export class RuntimeInconsistencyError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.RuntimeInconsistency, path);
  }
}
export class DataInconsistencyError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.DataInconsistency, path);
  }
}
export class ConnectionLossError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.ConnectionLoss, path);
  }
}
export class MarshallingError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.MarshallingError, path);
  }
}
export class UnimplementedError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.Unimplemented, path);
  }
}
export class OperationTimeoutError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.OperationTimeout, path);
  }
}
export class BadArgumentsError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.BadArguments, path);
  }
}
export class UnknownSessionError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.UnknownSession, path);
  }
}
export class NewConfigNoQuorumError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NewConfigNoQuorum, path);
  }
}
export class ReconfigInProgressError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.ReconfigInProgress, path);
  }
}
export class APIError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.APIError, path);
  }
}
export class NoNodeError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NoNode, path);
  }
}
export class NoAuthError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NoAuth, path);
  }
}
export class BadVersionError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.BadVersion, path);
  }
}
export class NoChildrenForEphemeralsError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NoChildrenForEphemerals, path);
  }
}
export class NodeExistsError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NodeExists, path);
  }
}
export class NotEmptyError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NotEmpty, path);
  }
}
export class SessionExpiredError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.SessionExpired, path);
  }
}
export class InvalidCallbackError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.InvalidCallback, path);
  }
}
export class InvalidACLError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.InvalidACL, path);
  }
}
export class AuthFailedError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.AuthFailed, path);
  }
}
export class SessionMovedError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.SessionMoved, path);
  }
}
export class NotReadOnlyError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NotReadOnly, path);
  }
}
export class EphemeralOnLocalSessionError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.EphemeralOnLocalSession, path);
  }
}
export class NoWatcherError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.NoWatcher, path);
  }
}
export class RequestTimeoutError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.RequestTimeout, path);
  }
}
export class ReconfigDisabledError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.ReconfigDisabled, path);
  }
}
export class SessionClosedRequireSaslError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.SessionClosedRequireSasl, path);
  }
}
export class QuotaExceededError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.QuotaExceeded, path);
  }
}
export class ThrottledError extends KeeperError {
  constructor(path?: string) {
    super(ErrorCode.Throttled, path);
  }
}
/** Constructor shape shared by every specific KeeperError subclass. */
export type KeeperErrorClass = new (path?: string) => KeeperError;

/**
 * THE code-to-class table (the role of the switch in KeeperException.create(Code)).
 * Everything else (errorFromCode, errorClassFor, tests) derives from it.
 */
export const KEEPER_ERROR_CLASSES: ReadonlyMap<ErrorCode, KeeperErrorClass> = new Map<
  ErrorCode,
  KeeperErrorClass
>([
  [ErrorCode.SystemError, SystemError],
  [ErrorCode.RuntimeInconsistency, RuntimeInconsistencyError],
  [ErrorCode.DataInconsistency, DataInconsistencyError],
  [ErrorCode.ConnectionLoss, ConnectionLossError],
  [ErrorCode.MarshallingError, MarshallingError],
  [ErrorCode.Unimplemented, UnimplementedError],
  [ErrorCode.OperationTimeout, OperationTimeoutError],
  [ErrorCode.BadArguments, BadArgumentsError],
  [ErrorCode.UnknownSession, UnknownSessionError],
  [ErrorCode.NewConfigNoQuorum, NewConfigNoQuorumError],
  [ErrorCode.ReconfigInProgress, ReconfigInProgressError],
  [ErrorCode.APIError, APIError],
  [ErrorCode.NoNode, NoNodeError],
  [ErrorCode.NoAuth, NoAuthError],
  [ErrorCode.BadVersion, BadVersionError],
  [ErrorCode.NoChildrenForEphemerals, NoChildrenForEphemeralsError],
  [ErrorCode.NodeExists, NodeExistsError],
  [ErrorCode.NotEmpty, NotEmptyError],
  [ErrorCode.SessionExpired, SessionExpiredError],
  [ErrorCode.InvalidCallback, InvalidCallbackError],
  [ErrorCode.InvalidACL, InvalidACLError],
  [ErrorCode.AuthFailed, AuthFailedError],
  [ErrorCode.SessionMoved, SessionMovedError],
  [ErrorCode.NotReadOnly, NotReadOnlyError],
  [ErrorCode.EphemeralOnLocalSession, EphemeralOnLocalSessionError],
  [ErrorCode.NoWatcher, NoWatcherError],
  [ErrorCode.RequestTimeout, RequestTimeoutError],
  [ErrorCode.ReconfigDisabled, ReconfigDisabledError],
  [ErrorCode.SessionClosedRequireSasl, SessionClosedRequireSaslError],
  [ErrorCode.QuotaExceeded, QuotaExceededError],
  [ErrorCode.Throttled, ThrottledError],
]);

/** The specific class for a code, or undefined for Ok and codes this client does not know. */
export function errorClassFor(code: number): KeeperErrorClass | undefined {
  return KEEPER_ERROR_CLASSES.get(code);
}

/**
 * Builds the typed error for a wire code. Unlike KeeperException.create, an unknown code (a
 * newer server) does not throw: it yields a plain KeeperError carrying that code.
 */
export function errorFromCode(code: number, path?: string): KeeperError {
  const ErrorClass = errorClassFor(code);
  return ErrorClass ? new ErrorClass(path) : new KeeperError(code, path);
}
