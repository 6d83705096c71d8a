import { request } from 'http';
import { connect, createServer } from 'net';
import { ConnectionOptions, connect as connectTls } from 'tls';

/**
 * Sends ZooKeeper's `ruok` four-letter word and resolves true on `imok`: the server is up and
 * has finished recovering its data (it listens only after that). Any error, a refused
 * connection included, is false: "not yet".
 */
export function ruok(
  host: string,
  port: number,
  timeoutMs = 2000,
  /** For a secureClientPort: four-letter words travel inside TLS there, as on ZooKeeper's. */
  tls?: ConnectionOptions,
): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = tls
      ? connectTls({ ...tls, host, port }, () => socket.end('ruok'))
      : connect({ host, port }, () => socket.end('ruok'));
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply === 'imok');
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.once('close', finish);
    socket.once('error', finish);
  });
}

/** GET `url`; resolves with the status code, or 0 when nothing answers. */
export function httpStatus(url: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
    req.end();
  });
}

/** Whether a TCP port can be bound on every interface right now (as the apps will bind it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
