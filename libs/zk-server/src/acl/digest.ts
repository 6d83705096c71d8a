import { createHash } from 'node:crypto';

/**
 * DigestAuthenticationProvider.generateDigest: "user:password" becomes
 * "user:base64(sha1("user:password"))", which is both the id `addauth digest user:password`
 * gives a connection and the id to put in a digest ACL.
 */
export function generateDigest(idPassword: string): string {
  const colon = idPassword.indexOf(':');
  const user = colon === -1 ? idPassword : idPassword.slice(0, colon);
  const hash = createHash('sha1').update(idPassword, 'utf8').digest('base64');
  return `${user}:${hash}`;
}

/**
 * DigestAuthenticationProvider.isValid: Java's id.split(":").length == 2, where split drops
 * trailing empty strings ("user:" is invalid, ":hash" is valid, "a:b:c" is invalid).
 */
export function isValidDigestId(id: string): boolean {
  const parts = id.split(':');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 2;
}

/** DigestAuthenticationProvider.getUserName: the part before the first ':'. */
export function digestUserName(id: string): string {
  return id.split(':')[0];
}
