/**
 * jute.maxbuffer as the Java client applies it to incoming packets:
 * ZKClientConfig.CLIENT_MAX_PACKET_LENGTH_DEFAULT = 0xfffff (just under 1 MiB).
 */
export const DEFAULT_MAX_FRAME = 0xfffff;

/** Size of the big-endian int that precedes every packet (ClientCnxnSocket.readLength). */
export const FRAME_HEADER_SIZE = 4;

/** Prefixes an already-encoded body with its 4-byte big-endian length. */
export function encodeFrame(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE + body.length);
  frame.writeInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_SIZE);
  return frame;
}
