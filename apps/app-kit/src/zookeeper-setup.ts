import { ACL, CREATOR_ALL_ACL, NodeExistsError, OPEN_ACL_UNSAFE } from '@shepherd/zk-protocol';
import { readFileSync } from 'fs';
import { ClientTlsOptions, ZooKeeperClient } from '@shepherd/zk-client';
import type { ZooKeeperConnectionOptions } from '@shepherd/coordination';
import { CommonEnv } from './env';

/** Digest credentials from ZK_AUTH ("user:password"), sent on every connection. */
export function zkAuth(env: CommonEnv): { scheme: string; auth: string }[] {
  return env.ZK_AUTH ? [{ scheme: 'digest', auth: env.ZK_AUTH }] : [];
}

/**
 * ACL for every znode Shepherd creates: with ZK_AUTH, only the authenticated identity may read
 * or change them (ZooKeeper's CREATOR_ALL_ACL: the `auth` scheme expands to the caller's
 * digest id); without it, the open ACL.
 */
export function zkAcl(env: CommonEnv): ACL[] {
  return env.ZK_AUTH ? CREATOR_ALL_ACL : OPEN_ACL_UNSAFE;
}

/**
 * TLS options from ZK_TLS_CA, ZK_TLS_CERT and ZK_TLS_KEY (PEM files, read now), or undefined
 * for plain TCP when none is set. The server's certificate is always verified: against
 * ZK_TLS_CA when set, else against Node's built-in CAs.
 */
export function zkTls(env: CommonEnv): ClientTlsOptions | undefined {
  if (!env.ZK_TLS_CA && !env.ZK_TLS_CERT && !env.ZK_TLS_KEY) return undefined;
  const read = (file: string | undefined) => (file ? readFileSync(file, 'utf8') : undefined);
  return { ca: read(env.ZK_TLS_CA), cert: read(env.ZK_TLS_CERT), key: read(env.ZK_TLS_KEY) };
}

export function connectionOptions(env: CommonEnv): ZooKeeperConnectionOptions {
  return {
    connectString: env.ZK_CONNECT,
    sessionTimeoutMs: env.ZK_SESSION_TIMEOUT_MS,
    auth: zkAuth(env),
    tls: zkTls(env),
  };
}

/**
 * Creates the chroot of ZK_CONNECT (e.g. /shepherd) if it is missing: a client under a chroot
 * cannot create its own root. Connects without the chroot, creates each level, and leaves.
 */
export async function ensureChroot(env: CommonEnv): Promise<void> {
  const slash = env.ZK_CONNECT.indexOf('/');
  if (slash < 0 || env.ZK_CONNECT.length === slash + 1) return;
  const hosts = env.ZK_CONNECT.slice(0, slash);
  const chroot = env.ZK_CONNECT.slice(slash);
  const client = new ZooKeeperClient(hosts, {
    sessionTimeout: env.ZK_SESSION_TIMEOUT_MS,
    auth: zkAuth(env),
    tls: zkTls(env),
  });
  await client.connect();
  try {
    let path = '';
    for (const part of chroot.split('/').filter(Boolean)) {
      path += `/${part}`;
      try {
        await client.create(path, null, { acl: zkAcl(env) });
      } catch (err) {
        if (!(err instanceof NodeExistsError)) throw err;
      }
    }
  } finally {
    await client.close();
  }
}
