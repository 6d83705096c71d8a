/** The package version of Shepherd (kept equal to package.json by a unit test). */
export const SHEPHERD_VERSION = '0.1.0';

/**
 * Version.getFullVersion as srvr/stat/mntr/envi print it. It says which server this is while
 * keeping ZooKeeper's shape ("<x.y.z>-<qualifier>, built on <date>"): scripts that parse
 * "Zookeeper version: 3.8" (zkServer.sh, monitoring checks) keep working.
 */
export const FOUR_LETTER_VERSION = `3.8.0-shepherd-${SHEPHERD_VERSION}, built on 1970-01-01 00:00 UTC`;
