/**
 * Runs `count` calls with at most `inFlight` outstanding: a new call is issued
 * as soon as one completes (a closed loop, like the peers' own benchmarks).
 * Returns per-call latencies in ns, the elapsed time, and the CPU time this
 * process spent (servers run in their own processes, so that is the client's
 * cost alone, a figure that stays steady on a noisy machine).
 */
export async function runClosedLoop(
  count: number,
  inFlight: number,
  call: (i: number) => Promise<unknown>,
  onDone: (n: number) => void,
): Promise<{ latencies: Float64Array; elapsedNs: number; cpuUs: number }> {
  const latencies = new Float64Array(count);
  let next = 0;
  let reported = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await call(i);
      latencies[i] = Number(process.hrtime.bigint() - t0);
      if (++reported % 256 === 0) onDone(256);
    }
  };
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpu0);
  onDone(reported % 256);
  return { latencies, elapsedNs, cpuUs: cpu.user + cpu.system };
}
