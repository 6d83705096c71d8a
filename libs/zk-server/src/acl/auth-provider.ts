/**
 * An authentication provider (ZooKeeper's AuthenticationProvider): how ids of its scheme are
 * validated in ACLs, matched against a connection's ids and shown by whoAmI. ZooKeeper
 * registers ip and digest by default (ProviderRegistry), x509 for TLS connections; "world" and
 * "auth" are handled by checkACL/fixupACL themselves; "super" has no provider (it only ever
 * appears in a connection's auth info).
 */
export interface AuthProvider {
  scheme: string;
  /** Ids an authenticated id may be used for `auth` ACL expansion. */
  isAuthenticated: boolean;
  isValid(id: string): boolean;
  matches(id: string, aclExpr: string): boolean;
  userName(id: string): string;
}
