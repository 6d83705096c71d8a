import { CliOutput, runCli } from '../../../apps/cli/src/run-cli';

export interface CliRun {
  code: number | undefined;
  out: string;
  err: string;
}

/** runCli in this process, with its output captured. */
export async function captureCli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliOutput = { out: (t) => (out += t), err: (t) => (err += t) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** captureCli of `<command> --zk-connect <connect string> ...rest`, for one test's chroot. */
export function cliOn(connectString: () => string) {
  return (...argv: string[]): Promise<CliRun> => {
    const [command, ...rest] = argv;
    return captureCli(command, '--zk-connect', connectString(), ...rest);
  };
}
