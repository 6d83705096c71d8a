/** Injection token of the options given to ZooKeeperModule.forRoot / forRootAsync. */
export const ZOOKEEPER_OPTIONS = Symbol('ZOOKEEPER_OPTIONS');

/** The scheme of the `auth: 'user:password'` shorthand. */
export const DIGEST_SCHEME = 'digest';
