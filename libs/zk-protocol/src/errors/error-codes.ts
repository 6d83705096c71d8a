/**
 * Result codes carried in ReplyHeader.err, MultiHeader.err and ErrorResponse.err.
 * Values follow KeeperException.java (enum Code and interface CodeDeprecated); member names
 * use the CodeDeprecated camel-case spelling, and for the codes that only exist in enum Code
 * (-118 onwards) a camel-case form of the enum name.
 */
export enum ErrorCode {
  Ok = 0,
  /** Never sent; marks the start of the system-error range. */
  SystemError = -1,
  RuntimeInconsistency = -2,
  DataInconsistency = -3,
  ConnectionLoss = -4,
  MarshallingError = -5,
  Unimplemented = -6,
  OperationTimeout = -7,
  BadArguments = -8,
  /** Internal server use only. */
  UnknownSession = -12,
  NewConfigNoQuorum = -13,
  ReconfigInProgress = -14,
  /** Never sent; marks the start of the API-error range. */
  APIError = -100,
  NoNode = -101,
  NoAuth = -102,
  BadVersion = -103,
  NoChildrenForEphemerals = -108,
  NodeExists = -110,
  NotEmpty = -111,
  SessionExpired = -112,
  InvalidCallback = -113,
  InvalidACL = -114,
  AuthFailed = -115,
  SessionMoved = -118,
  NotReadOnly = -119,
  EphemeralOnLocalSession = -120,
  NoWatcher = -121,
  RequestTimeout = -122,
  ReconfigDisabled = -123,
  /** Code.SESSIONCLOSEDREQUIRESASLAUTH. */
  SessionClosedRequireSasl = -124,
  QuotaExceeded = -125,
  /** Code.THROTTLEDOP. */
  Throttled = -127,
}
