import { BenchDriver, BenchOp } from './driver';

/**
 * Runs `count` operations of one kind with at most `inFlight` outstanding: a new
 * request is issued as soon as one completes (a closed loop, like the peers'
 * own benchmarks). Returns per-operation latencies in ns, the elapsed time, and the
 * CPU time this process spent: the server runs in its own JVM, so that is the
 * client library's cost alone, a figure that stays steady on a noisy machine.
 */
export async function runOp(
  driver: BenchDriver,
  op: BenchOp,
  paths: readonly string[],
  inFlight: number,
  payload: Buffer,
  onDone: (n: number) => void,
): Promise<{ latencies: Float64Array; elapsedNs: number; cpuUs: number }> {
  const latencies = new Float64Array(paths.length);
  let next = 0;
  let reported = 0;
  const call = (path: string): Promise<void> => {
    switch (op) {
      case 'create':
        return driver.create(path, payload);
      case 'getData':
        return driver.getData(path);
      case 'setData':
        return driver.setData(path, payload);
      case 'getChildren':
        return driver.getChildren(path);
      case 'delete':
        return driver.delete(path);
    }
  };
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await call(paths[i]);
      latencies[i] = Number(process.hrtime.bigint() - t0);
      if (++reported % 256 === 0) onDone(256);
    }
  };
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(inFlight, paths.length) }, lane));
  const elapsedNs = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpu0);
  onDone(reported % 256);
  return { latencies, elapsedNs, cpuUs: cpu.user + cpu.system };
}
