/**
 * Connect string parsing, as ZooKeeper.java / ConnectStringParser.java accept it:
 * `host1:port1,host2:port2[/chroot]`. The chroot applies to every host, so it may only follow
 * the last one. IPv6 literals are written in brackets (`[::1]:2181`).
 */
export const DEFAULT_PORT = 2181;

export interface HostAddress {
  host: string;
  port: number;
}

export interface ConnectString {
  hosts: HostAddress[];
  /** Normalised chroot without trailing slash; absent when the string has none or it is `/`. */
  chroot?: string;
}

export function parseConnectString(input: string): ConnectString {
  const trimmed = input.trim();
  const slash = trimmed.indexOf('/');
  const hostPart = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const chroot = slash === -1 ? undefined : normaliseChroot(trimmed.slice(slash));
  const hosts = hostPart
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(parseHost);
  if (hosts.length === 0) {
    throw new Error(`connect string has no hosts: "${input}"`);
  }
  return chroot === undefined ? { hosts } : { hosts, chroot };
}

function parseHost(entry: string): HostAddress {
  let host: string;
  let portText: string | undefined;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close === -1) throw new Error(`unterminated IPv6 literal in "${entry}"`);
    host = entry.slice(1, close);
    const rest = entry.slice(close + 1);
    if (rest.length > 0) {
      if (!rest.startsWith(':')) throw new Error(`bad host entry "${entry}"`);
      portText = rest.slice(1);
    }
  } else {
    const colon = entry.lastIndexOf(':');
    host = colon === -1 ? entry : entry.slice(0, colon);
    portText = colon === -1 ? undefined : entry.slice(colon + 1);
  }
  if (host.length === 0) throw new Error(`empty host in "${entry}"`);
  const port = portText === undefined || portText === '' ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`bad port in "${entry}"`);
  }
  return { host, port };
}

function normaliseChroot(raw: string): string | undefined {
  // ConnectStringParser.java: a bare "/" means no chroot; a trailing slash is dropped.
  const chroot = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
  if (chroot === '/') return undefined;
  if (chroot.includes('//') || chroot.split('/').some((s) => s === '.' || s === '..')) {
    throw new Error(`invalid chroot "${raw}"`);
  }
  return chroot;
}
