import * as protocol from '../src';
import {
  ErrorCode,
  KEEPER_ERROR_CLASSES,
  KeeperError,
  NoNodeError,
  errorClassFor,
  errorFromCode,
} from '../src';

// Every KeeperException.Code except OK, with the class name this library gives it. Written
// out by hand from KeeperException.java so the table in the code is checked, not echoed.
const EXPECTED: Array<[number, string]> = [
  [-1, 'SystemError'],
  [-2, 'RuntimeInconsistencyError'],
  [-3, 'DataInconsistencyError'],
  [-4, 'ConnectionLossError'],
  [-5, 'MarshallingError'],
  [-6, 'UnimplementedError'],
  [-7, 'OperationTimeoutError'],
  [-8, 'BadArgumentsError'],
  [-12, 'UnknownSessionError'],
  [-13, 'NewConfigNoQuorumError'],
  [-14, 'ReconfigInProgressError'],
  [-100, 'APIError'],
  [-101, 'NoNodeError'],
  [-102, 'NoAuthError'],
  [-103, 'BadVersionError'],
  [-108, 'NoChildrenForEphemeralsError'],
  [-110, 'NodeExistsError'],
  [-111, 'NotEmptyError'],
  [-112, 'SessionExpiredError'],
  [-113, 'InvalidCallbackError'],
  [-114, 'InvalidACLError'],
  [-115, 'AuthFailedError'],
  [-118, 'SessionMovedError'],
  [-119, 'NotReadOnlyError'],
  [-120, 'EphemeralOnLocalSessionError'],
  [-121, 'NoWatcherError'],
  [-122, 'RequestTimeoutError'],
  [-123, 'ReconfigDisabledError'],
  [-124, 'SessionClosedRequireSaslError'],
  [-125, 'QuotaExceededError'],
  [-127, 'ThrottledError'],
];

describe('KeeperError table', () => {
  it.each(EXPECTED)('code %d maps to %s and back', (code, className) => {
    const cls = (protocol as unknown as Record<string, unknown>)[className];
    expect(typeof cls).toBe('function');
    expect(errorClassFor(code)).toBe(cls);
    const err = errorFromCode(code, '/p');
    expect(err).toBeInstanceOf(cls as new () => KeeperError);
    expect(err).toBeInstanceOf(KeeperError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.path).toBe('/p');
    expect(err.name).toBe(className);
    expect(err.message).toBe(`KeeperErrorCode = ${ErrorCode[code]} for /p`);
    // Constructing the class directly gives the same code.
    const direct = new (cls as new (path?: string) => KeeperError)();
    expect(direct.code).toBe(code);
    expect(direct.message).toBe(`KeeperErrorCode = ${ErrorCode[code]}`);
  });

  it('has exactly one entry per non-OK ErrorCode member', () => {
    const codes = Object.values(ErrorCode).filter((v): v is number => typeof v === 'number');
    expect(codes.filter((c) => c !== 0).sort()).toEqual(EXPECTED.map(([c]) => c).sort());
    expect(KEEPER_ERROR_CLASSES.size).toBe(EXPECTED.length);
    const classes = new Set(KEEPER_ERROR_CLASSES.values());
    expect(classes.size).toBe(EXPECTED.length);
  });

  it('an unknown code yields a plain KeeperError with that code', () => {
    const err = errorFromCode(-9999);
    expect(err.constructor).toBe(KeeperError);
    expect(err.code).toBe(-9999);
    expect(err.message).toBe('KeeperErrorCode = Unknown error -9999');
    expect(errorClassFor(0)).toBeUndefined();
  });

  it('the path is optional', () => {
    const err = new NoNodeError();
    expect(err.path).toBeUndefined();
    expect(err.code).toBe(ErrorCode.NoNode);
  });
});
