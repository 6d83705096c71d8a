import { averageOf } from './java-format';

/** Monotonic milliseconds (Time.currentElapsedTime), as integers like ZooKeeper's. */
export function elapsedMs(): number {
  return Math.floor(performance.now());
}

/**
 * Server-wide counters of srvr/stat/mntr (ServerStats.java): packets, request latency and
 * response sizes. Plain numbers updated in place: nothing is allocated per request.
 */
export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  private latencyCount = 0;
  private latencyTotal = 0;
  private latencyMin = Number.MAX_SAFE_INTEGER;
  private latencyMax = 0;
  /** BufferStats of the client responses: -1 until one was sent. */
  lastResponseSize = -1;
  minResponseSize = -1;
  maxResponseSize = -1;
  private readonly startedAt = elapsedMs();

  /** ServerStats.updateLatency: one request went through, `elapsed` ms after it arrived. */
  updateLatency(elapsed: number): void {
    this.latencyCount++;
    this.latencyTotal += elapsed;
    if (elapsed < this.latencyMin) this.latencyMin = elapsed;
    if (elapsed > this.latencyMax) this.latencyMax = elapsed;
  }

  /** BufferStats.setLastBufferSize. */
  responseSize(size: number): void {
    this.lastResponseSize = size;
    if (this.minResponseSize < 0 || size < this.minResponseSize) this.minResponseSize = size;
    if (size > this.maxResponseSize) this.maxResponseSize = size;
  }

  get minLatency(): number {
    return this.latencyCount === 0 ? 0 : this.latencyMin;
  }

  get maxLatency(): number {
    return this.latencyMax;
  }

  get avgLatency(): number {
    return averageOf(this.latencyTotal, this.latencyCount);
  }

  /** ServerStats.getUptime (ms since the stats were created). */
  get uptime(): number {
    return elapsedMs() - this.startedAt;
  }

  /** srst (ServerStats.reset): latency, packet counters and response sizes. */
  reset(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.latencyCount = 0;
    this.latencyTotal = 0;
    this.latencyMin = Number.MAX_SAFE_INTEGER;
    this.latencyMax = 0;
    this.lastResponseSize = -1;
    this.minResponseSize = -1;
    this.maxResponseSize = -1;
  }
}
