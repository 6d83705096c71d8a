import { DEFAULT_MAX_FRAME, encodeConnectRequest, encodeRequest } from '@shepherd/zk-protocol';
import { FuzzChunk, garbage, mutate } from './mutators';
import { Prng } from './prng';
import { randomConnectRequest, randomRequest } from './random-request';

export interface FrameSourceOptions {
  /** Share of steps sent as generated (valid), the rest mutated. Default 0.75. */
  validShare?: number;
  maxFrame?: number;
}

/**
 * The frames of one fuzz connection: a ConnectRequest first (usually valid, sometimes hostile,
 * sometimes missing so a request is read as the handshake), then valid and mutated requests
 * interleaved.
 */
export class FrameSource {
  private readonly validShare: number;
  private readonly maxFrame: number;

  constructor(
    private readonly rng: Prng,
    opts: FrameSourceOptions = {},
  ) {
    this.validShare = opts.validShare ?? 0.75;
    this.maxFrame = opts.maxFrame ?? DEFAULT_MAX_FRAME;
  }

  handshake(): FuzzChunk {
    const rng = this.rng;
    const roll = rng.next();
    if (roll < 0.85) {
      return {
        chunks: [encodeConnectRequest(randomConnectRequest(rng, true))],
        framed: true,
        kind: 'connect',
      };
    }
    if (roll < 0.93) {
      return {
        chunks: [encodeConnectRequest(randomConnectRequest(rng, false))],
        framed: true,
        kind: 'connect-odd',
      };
    }
    if (roll < 0.97)
      return mutate(rng, encodeConnectRequest(randomConnectRequest(rng, true)), this.maxFrame);
    // No handshake: the first request is read as the ConnectRequest.
    return this.next();
  }

  next(): FuzzChunk {
    const rng = this.rng;
    if (rng.chance(0.005)) return garbage(rng);
    let valid: Buffer;
    try {
      valid = encodeRequest(rng.range(1, 0x7ffffff0), randomRequest(rng));
    } catch {
      // The codec refuses some generated values (e.g. a string too long to frame): send junk.
      return garbage(rng);
    }
    if (rng.chance(this.validShare)) return { chunks: [valid], framed: true, kind: 'valid' };
    return mutate(rng, valid, this.maxFrame);
  }
}
