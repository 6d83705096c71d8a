import { BadArgumentsError } from '@shepherd/zk-protocol';

/**
 * PathUtils.validatePath: why `path` is not a valid znode path, or null if it is. Absolute,
 * no trailing '/', no empty, "." or ".." components, no NUL or other control characters,
 * nothing in U+007F..U+009F, U+D800..U+F8FF or U+FFF0..U+FFFF (Java chars, i.e. UTF-16 code
 * units, so any surrogate pair is rejected too).
 */
export function invalidPathReason(path: string | null | undefined): string | null {
  if (path === null || path === undefined) return 'Path cannot be null';
  if (path.length === 0) return 'Path length must be > 0';
  if (path.charCodeAt(0) !== 0x2f) return 'Path must start with / character';
  if (path.length === 1) return null;
  if (path.charCodeAt(path.length - 1) === 0x2f) return 'Path must not end with / character';
  let last = 0x2f;
  for (let i = 1; i < path.length; last = path.charCodeAt(i), i++) {
    const c = path.charCodeAt(i);
    const endsComponent = i + 1 === path.length || path.charCodeAt(i + 1) === 0x2f;
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      if (path.charCodeAt(i - 2) === 0x2f && endsComponent)
        return `relative paths not allowed @${i}`;
    } else if (c === 0x2e) {
      if (path.charCodeAt(i - 1) === 0x2f && endsComponent)
        return `relative paths not allowed @${i}`;
    } else if (
      (c > 0x00 && c <= 0x1f) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xf8ff) ||
      (c >= 0xfff0 && c <= 0xffff)
    ) {
      return `invalid character @${i}`;
    }
  }
  return null;
}

/** PrepRequestProcessor.validatePath: BadArguments for an invalid path. */
export function validatePath(path: string): void {
  if (invalidPathReason(path) !== null) throw new BadArgumentsError(path);
}
