import { connect } from 'net';

/**
 * Sends a ZooKeeper "four letter word" (ruok, srvr, cons, stat, mntr...) and returns the reply.
 *
 * The server answers on the client port and closes the connection when done, so we read to EOF.
 * Any connection error resolves to an empty string: callers poll for a specific answer
 * ("imok", "Mode: leader") and a not-yet-listening server is simply "not ready yet".
 */
export function fourLetterWord(
  port: number,
  word: string,
  opts: { host?: string; timeoutMs?: number } = {},
): Promise<string> {
  const { host = '127.0.0.1', timeoutMs = 2000 } = opts;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const socket = connect({ host, port }, () => socket.end(word));
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

/** Parses "Mode: leader" out of `srvr`/`stat` output. */
export function parseMode(srvr: string): string | undefined {
  return /^Mode: (\S+)/m.exec(srvr)?.[1];
}

/** Session ids (sid=0x...) of the client connections listed by `cons`. */
export function parseConsSessionIds(cons: string): bigint[] {
  const ids: bigint[] = [];
  for (const m of cons.matchAll(/sid=0x([0-9a-f]+)/gi)) ids.push(BigInt(`0x${m[1]}`));
  return ids;
}
