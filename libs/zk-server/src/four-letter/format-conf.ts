import { FourLetterContext } from './four-letter-context';
import { ZK_NOT_SERVING } from './format-stat';

/**
 * conf (ZooKeeperServer.dumpConf), standalone: no secure port (-1), the default listen backlog
 * (-1) and serverId 0. Directories are '' when the server keeps nothing on disk.
 */
export function formatConf(ctx: FourLetterContext): string {
  if (!ctx.serving) return ZK_NOT_SERVING;
  const c = ctx.conf;
  return (
    `clientPort=${c.clientPort}\n` +
    `secureClientPort=-1\n` +
    `dataDir=${c.dataDir}\n` +
    `dataDirSize=${c.dataDirSize}\n` +
    `dataLogDir=${c.dataLogDir}\n` +
    `dataLogSize=${c.dataLogSize}\n` +
    `tickTime=${c.tickTime}\n` +
    `maxClientCnxns=${c.maxClientCnxns}\n` +
    `minSessionTimeout=${c.minSessionTimeout}\n` +
    `maxSessionTimeout=${c.maxSessionTimeout}\n` +
    `clientPortListenBacklog=-1\n` +
    `serverId=0\n`
  );
}
