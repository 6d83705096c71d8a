import { BenchDriver, BenchOp } from './driver';
import { runClosedLoop } from '../common/closed-loop';

/** One operation of one client over `paths`, with at most `inFlight` outstanding. */
export function runOp(
  driver: BenchDriver,
  op: BenchOp,
  paths: readonly string[],
  inFlight: number,
  payload: Buffer,
  onDone: (n: number) => void,
): Promise<{ latencies: Float64Array; elapsedNs: number; cpuUs: number }> {
  const call = (i: number): Promise<void> => {
    const path = paths[i];
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
  return runClosedLoop(paths.length, inFlight, call, onDone);
}
