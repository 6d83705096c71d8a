// IPAuthenticationProvider (ZooKeeper 3.8): IPv4 only; an ACL id is "a.b.c.d" or
// "a.b.c.d/bits". IPv6 ACLs are invalid and IPv6 clients never match, as in 3.8.

function v4Bytes(addr: string): number[] | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    // Integer.parseInt accepts an optional sign and decimal digits only.
    if (!/^[+-]?\d+$/.test(p)) return null;
    const v = Number(p);
    if (v < 0 || v > 255) return null;
    bytes.push(v);
  }
  return bytes;
}

function parseBits(s: string, max: number): number | null {
  if (!/^[+-]?\d+$/.test(s)) return null;
  const bits = Number(s);
  return bits < 0 || bits > max ? null : bits;
}

function mask(bytes: number[], bits: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

/**
 * The address Java's getHostAddress() would report: Node gives IPv4 clients of a dual-stack
 * listener as "::ffff:a.b.c.d".
 */
export function normalizeClientAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

/** IPAuthenticationProvider.isValid. */
export function isValidIpAclId(id: string): boolean {
  const slash = id.indexOf('/');
  const addr = v4Bytes(slash === -1 ? id : id.slice(0, slash));
  if (!addr) return false;
  return slash === -1 || parseBits(id.slice(slash + 1), 32) !== null;
}

/** IPAuthenticationProvider.matches: does client address `id` fall in ACL `aclExpr`? */
export function ipMatches(id: string, aclExpr: string): boolean {
  const slash = aclExpr.indexOf('/');
  const aclAddr = v4Bytes(slash === -1 ? aclExpr : aclExpr.slice(0, slash));
  if (!aclAddr) return false;
  let bits = 32;
  if (slash !== -1) {
    const parsed = parseBits(aclExpr.slice(slash + 1), 32);
    if (parsed === null) return false;
    bits = parsed;
  }
  const remote = v4Bytes(normalizeClientAddress(id));
  if (!remote) return false;
  const a = mask(aclAddr, bits);
  const r = mask(remote, bits);
  return a.every((b, i) => b === r[i]);
}
