import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MachineInfo, machineInfo } from './machine';

/**
 * Writes a benchmark's results file: its arguments, when, the machine (taken now unless given),
 * then its own fields: the header bench:report reads from every results file.
 */
export function writeResultsFile(
  out: string,
  args: object,
  fields: Record<string, unknown>,
  machine: MachineInfo = machineInfo(),
): void {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ args, when: new Date().toISOString(), machine, ...fields }, null, 2),
  );
}
