/**
 * Errors raised by the codec itself (as opposed to errors the server reports, which are
 * KeeperErrors). Every failure to read or write bytes surfaces as one of these so callers can
 * tell "the wire is broken, drop the connection" apart from anything else.
 */
export class ZkProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Bytes could not be decoded as the expected jute record: truncated input, a length that is
 * negative (other than the -1 null marker) or longer than what is left, or an unknown op.
 * Mirrors the IOException paths of BinaryInputArchive.java.
 */
export class JuteDecodeError extends ZkProtocolError {
  constructor(
    message: string,
    /** Byte offset inside the body being decoded where the problem was found. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

/** A value cannot be represented in jute (e.g. an int outside 32 bits, an unknown op). */
export class JuteEncodeError extends ZkProtocolError {}

/** An op code that this codec does not know how to (de)serialize. */
export class UnknownOpCodeError extends JuteDecodeError {
  constructor(
    readonly opCode: number,
    offset: number,
    context = 'request',
  ) {
    super(`unknown or unsupported op code ${opCode} in ${context}`, offset);
  }
}

/**
 * A frame length prefix outside [0, max]. ClientCnxnSocket.readLength() treats this as
 * "Packet len is out of range" and drops the connection; so should callers.
 */
export class FrameLengthError extends ZkProtocolError {
  constructor(
    readonly length: number,
    readonly max: number,
  ) {
    super(`frame length ${length} is out of range [0, ${max}]`);
  }
}
