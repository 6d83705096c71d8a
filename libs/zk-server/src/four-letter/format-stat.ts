import { FourLetterCnxn, FourLetterContext } from './four-letter-context';
import { javaDouble, javaHex } from './java-format';

/** AbstractFourLetterCommand.ZK_NOT_SERVING. */
export const ZK_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests\n';

/** ServerCnxn.dumpConnectionInfo (no trailing newline): brief for stat, full for cons. */
export function formatConnection(c: FourLetterCnxn, brief: boolean): string {
  const s = c.stats;
  const ops = c.interestOps === 0 ? '0' : c.interestOps.toString(16);
  let line = ` ${c.remoteSocketAddress}[${ops}](queued=${s.outstanding},recved=${s.packetsReceived},sent=${s.packetsSent}`;
  if (!brief && c.sessionId !== 0n) line += s.describeSession(c.sessionId, c.timeout);
  return `${line})`;
}

/** ServerStats.toString + "Node count" (StatCommand), standalone mode. */
function formatServerStats(ctx: FourLetterContext): string {
  const st = ctx.stats;
  return (
    `Latency min/avg/max: ${st.minLatency}/${javaDouble(st.avgLatency)}/${st.maxLatency}\n` +
    `Received: ${st.packetsReceived}\n` +
    `Sent: ${st.packetsSent}\n` +
    `Connections: ${ctx.connections().length}\n` +
    `Outstanding: ${outstandingRequests(ctx)}\n` +
    `Zxid: 0x${javaHex(ctx.lastZxid)}\n` +
    `Mode: standalone\n` +
    `Node count: ${ctx.nodeCount}\n`
  );
}

/** srvr and stat (StatCommand): stat adds the brief list of clients. */
export function formatStat(ctx: FourLetterContext, withClients: boolean): string {
  if (!ctx.serving) return ZK_NOT_SERVING;
  let out = `Zookeeper version: ${ctx.version}\n`;
  if (withClients) {
    out += 'Clients:\n';
    for (const c of ctx.connections()) out += `${formatConnection(c, true)}\n`;
    out += '\n';
  }
  return out + formatServerStats(ctx);
}

/** cons (ConsCommand): one full line per connection, then an empty line. */
export function formatCons(ctx: FourLetterContext): string {
  if (!ctx.serving) return ZK_NOT_SERVING;
  let out = '';
  for (const c of ctx.connections()) out += `${formatConnection(c, false)}\n`;
  return `${out}\n`;
}

/** ServerStats.getOutstandingRequests: requests in flight on every connection. */
export function outstandingRequests(ctx: FourLetterContext): number {
  let n = 0;
  for (const c of ctx.connections()) n += c.stats.outstanding;
  return n;
}
