import { FourLetterContext } from './four-letter-context';
import { outstandingRequests, ZK_NOT_SERVING } from './format-stat';
import { javaDouble } from './java-format';

/**
 * mntr (MonitorCommand): `zk_<key>\t<value>` lines. ZooKeeperServer.dumpMonitorValues gives
 * version and server_state, then the gauges of ZooKeeperServer.registerMetrics follow, in the
 * order ZooKeeper 3.8.0 prints them. The hundreds of summary/counter metrics of ZooKeeper's
 * metrics provider (zk_avg_fsynctime, zk_p99_readlatency...) are not reproduced: they describe
 * its processor pipeline and quorum, which this server does not have.
 */
export function formatMntr(ctx: FourLetterContext): string {
  if (!ctx.serving) return ZK_NOT_SERVING;
  const st = ctx.stats;
  const fds = ctx.fileDescriptors();
  const lines: Array<[string, string | number]> = [
    ['version', ctx.version],
    ['server_state', 'standalone'],
    ['ephemerals_count', ctx.ephemeralsCount],
    ['num_alive_connections', ctx.connections().length],
    ['avg_latency', javaDouble(st.avgLatency)],
    ['outstanding_requests', outstandingRequests(ctx)],
    ['znode_count', ctx.nodeCount],
    ['global_sessions', ctx.globalSessions],
    // Connections on the (absent) secure port without client certificates.
    ['non_mtls_remote_conn_count', 0],
    ['last_client_response_size', st.lastResponseSize],
    ['packets_sent', st.packetsSent],
    ['packets_received', st.packetsReceived],
    ['max_client_response_size', st.maxResponseSize],
    ['connection_drop_probability', javaDouble(0)],
    ['watch_count', ctx.watchCount],
    ['auth_failed_count', 0],
    ['min_latency', st.minLatency],
  ];
  if (fds) lines.push(['max_file_descriptor_count', fds.max]);
  lines.push(['approximate_data_size', ctx.approximateDataSize()]);
  if (fds) lines.push(['open_file_descriptor_count', fds.open]);
  lines.push(
    ['local_sessions', 0],
    ['uptime', st.uptime],
    ['max_latency', st.maxLatency],
    ['outstanding_tls_handshake', 0],
    ['min_client_response_size', st.minResponseSize],
    ['non_mtls_local_conn_count', 0],
  );
  let out = '';
  for (const [key, value] of lines) out += `zk_${key}\t${value}\n`;
  return out;
}
