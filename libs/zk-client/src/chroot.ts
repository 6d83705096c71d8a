/**
 * Chroot path mapping (ZooKeeper.java prependChroot, ClientCnxn.stripChroot). Requests carry
 * server paths (`/app` + client path); everything coming back that names a path (create and
 * sync results, watch events, getEphemerals) is turned back into a client path.
 */
export class Chroot {
  constructor(readonly root?: string) {}

  toServer(clientPath: string): string {
    if (!this.root) return clientPath;
    return clientPath === '/' ? this.root : this.root + clientPath;
  }

  toClient(serverPath: string): string {
    const root = this.root;
    if (!root || !serverPath.startsWith(root)) return serverPath;
    if (serverPath.length === root.length) return '/';
    // Only strip at a path boundary: chroot /app must leave /apple alone.
    return serverPath.charCodeAt(root.length) === 47 ? serverPath.slice(root.length) : serverPath;
  }
}

/**
 * PathUtils.validatePath: absolute, no empty / "." / ".." segments, no trailing slash (except
 * for sequential creates, where the server appends the counter), no control characters. One
 * pass over the characters: this runs for every request. Returns a reason, or undefined.
 */
export function invalidPathReason(path: string, sequential = false): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'path must not be empty';
  if (path.charCodeAt(0) !== SLASH) return 'path must start with /';
  const len = path.length;
  if (len === 1) return sequential ? 'invalid sequential path /' : undefined;
  if (path.charCodeAt(len - 1) === SLASH && !sequential) return 'path must not end with /';
  let segStart = 1;
  for (let i = 1; i <= len; i++) {
    const c = i < len ? path.charCodeAt(i) : SLASH;
    if (c === SLASH) {
      const segLen = i - segStart;
      if (segLen === 0 && i < len) return 'empty node name';
      if (segLen === 1 && path.charCodeAt(segStart) === DOT) return 'relative paths not allowed';
      if (
        segLen === 2 &&
        path.charCodeAt(segStart) === DOT &&
        path.charCodeAt(segStart + 1) === DOT
      ) {
        return 'relative paths not allowed';
      }
      segStart = i + 1;
    } else if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      c >= 0xfff0
    ) {
      return 'invalid character';
    }
  }
  return undefined;
}

const SLASH = 47;
const DOT = 46;
