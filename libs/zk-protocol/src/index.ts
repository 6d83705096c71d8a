// Public surface of @shepherd/zk-protocol: the ZooKeeper client/server wire codec. Pure: no sockets,
// no timers. Everything a consumer may use is re-exported here and nowhere else.

// Primitives and framing
export { JuteWriter } from './jute-writer';
export { JuteReader } from './jute-reader';
export { EncodedStringList, type StringList, stringsOf } from './records/encoded-string-list';
export { DEFAULT_MAX_FRAME, FRAME_HEADER_SIZE, encodeFrame } from './framing';
export { FrameDecoder, type FrameDecoderOptions } from './frame-decoder';

// Codec errors
export {
  FrameLengthError,
  JuteDecodeError,
  JuteEncodeError,
  UnknownOpCodeError,
  ZkProtocolError,
} from './errors/protocol-errors';

// Constants
export { OpCode } from './op-codes';
export { MULTI_WRITE_OP_CODES, WRITE_OP_CODES, isWriteOp } from './write-ops';
export { Xid, isSpecialXid } from './xids';
export {
  CreateMode,
  createModeFromFlag,
  isContainer,
  isEphemeral,
  isSequential,
  isTTL,
} from './create-mode';
export { EventType, KeeperState, WatcherType } from './watcher-constants';
export { AddWatchMode } from './add-watch-mode';
export { Perms } from './perms';

// Server error codes
export { ErrorCode } from './errors/error-codes';
export {
  APIError,
  AuthFailedError,
  BadArgumentsError,
  BadVersionError,
  ConnectionLossError,
  DataInconsistencyError,
  EphemeralOnLocalSessionError,
  InvalidACLError,
  InvalidCallbackError,
  KEEPER_ERROR_CLASSES,
  KeeperError,
  type KeeperErrorClass,
  MarshallingError,
  NewConfigNoQuorumError,
  NoAuthError,
  NoChildrenForEphemeralsError,
  NoNodeError,
  NodeExistsError,
  NotEmptyError,
  NotReadOnlyError,
  NoWatcherError,
  OperationTimeoutError,
  QuotaExceededError,
  ReconfigDisabledError,
  ReconfigInProgressError,
  RequestTimeoutError,
  RuntimeInconsistencyError,
  SessionClosedRequireSaslError,
  SessionExpiredError,
  SessionMovedError,
  SystemError,
  ThrottledError,
  UnimplementedError,
  UnknownSessionError,
  errorClassFor,
  errorFromCode,
} from './errors/keeper-errors';

// Records
export {
  type ACL,
  ANYONE_ID_UNSAFE,
  AUTH_IDS,
  CREATOR_ALL_ACL,
  type Id,
  OPEN_ACL_UNSAFE,
  READ_ACL_UNSAFE,
  readACL,
  readACLList,
  readRequestACL,
  readRequestACLList,
  type RequestACL,
  readId,
  writeACL,
  writeACLList,
  writeId,
} from './records/acl';
export { STAT_SIZE, type Stat, readStat, writeStat } from './records/stat';
export {
  type ConnectRequest,
  type ConnectResponse,
  PROTOCOL_VERSION,
  decodeConnectRequest,
  decodeConnectResponse,
  encodeConnectRequest,
  encodeConnectResponse,
  readConnectRequest,
  readConnectResponse,
  writeConnectRequest,
  writeConnectResponse,
} from './records/connect';
export {
  type MultiHeader,
  type ReplyHeader,
  type RequestHeader,
  readMultiHeader,
  readReplyHeader,
  readRequestHeader,
  writeMultiHeader,
  writeReplyHeader,
  writeRequestHeader,
} from './records/headers';
export { type WatcherEvent, readWatcherEvent, writeWatcherEvent } from './records/watcher-event';
export { type ClientInfo, readClientInfo, writeClientInfo } from './records/client-info';

// Requests
export { type CreateRequest, type CreateTTLRequest } from './requests/create-requests';
export {
  type CheckVersionRequest,
  type DeleteRequest,
  type GetACLRequest,
  type GetAllChildrenNumberRequest,
  type GetEphemeralsRequest,
  type PathWatchRequest,
  type SetACLRequest,
  type SetDataRequest,
  type SyncRequest,
} from './requests/node-requests';
export {
  type AddWatchRequest,
  type SetWatches2Request,
  type SetWatchesRequest,
  type WatchesRequest,
} from './requests/watch-requests';
export {
  type AuthRequest,
  type CloseSessionRequest,
  type PingRequest,
  type WhoAmIRequest,
} from './requests/session-requests';
export {
  type MultiOp,
  type MultiReadRequest,
  type MultiRequest,
  type ReadOp,
  type Request,
} from './requests/request';
export {
  decodeRequest,
  encodeRequest,
  readRequestBody,
  writeRequestBody,
} from './requests/request-codec';

// Responses
export { type Create2Response, type CreateResponse } from './responses/create-responses';
export {
  type CheckResponse,
  type ExistsResponse,
  type GetACLResponse,
  type GetAllChildrenNumberResponse,
  type GetChildren2Response,
  type GetChildrenResponse,
  type GetDataResponse,
  type GetEphemeralsResponse,
  type StatResponse,
  type SyncResponse,
  type WhoAmIResponse,
} from './responses/node-responses';
export { type EmptyResponse } from './responses/empty-responses';
export {
  type DeleteResult,
  type ErrorResult,
  type MultiResponse,
  type MultiResult,
  type Response,
} from './responses/response';
export {
  type DecodedReply,
  decodeReply,
  encodeNotification,
  encodeReply,
  readResponseBody,
  writeResponseBody,
} from './responses/reply-codec';
export {
  readMultiRequest,
  readMultiResponse,
  writeMultiRequest,
  writeMultiResponse,
} from './multi';

// Time, injected on both sides (not wire format; shared by client and server)
export type { Clock, TimerHandle } from './clock';
