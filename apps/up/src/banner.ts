import { ClusterAddresses } from './local-cluster';

export interface BannerInput {
  addresses: ClusterAddresses;
  masters: number;
  workers: number;
  apiToken?: string;
  /** ZK_AUTH: another worker needs the same credentials to read the ACL'd znodes. */
  zkAuth?: string;
  /** The workers' handler module (absolute), when they run the user's handlers. */
  handlers?: string;
  /** Its task types, when the samples do not run: the curl line submits the first. */
  handlerTypes?: readonly string[];
}

/** A word for the shell, single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A one-line curl that submits a task: a sample one (CPU work with progress, visible on the
 * dashboard), or one of `type` with a null payload when the workers run only the user's handlers.
 */
export function submitCommand(baseUrl: string, apiToken?: string, type?: string): string {
  const task = JSON.stringify(
    type === undefined
      ? { type: 'sha256', payload: { data: 'hello', rounds: 1000000 } }
      : { type, payload: null },
  );
  const words = ['curl', '-X', 'POST', `${baseUrl}/tasks`, '-H', 'Content-Type: application/json'];
  if (apiToken !== undefined) words.push('-H', `Authorization: Bearer ${apiToken}`);
  words.push('-d', task);
  return words.map(shellQuote).join(' ');
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What `shepherd up` prints once the cluster is up. */
export function banner({
  addresses,
  masters,
  workers,
  apiToken,
  zkAuth,
  handlers,
  handlerTypes,
}: BannerInput): string {
  const { baseUrl, zkConnect } = addresses;
  const apps = [plural(masters, 'master'), plural(workers, 'worker')];
  if (baseUrl) apps.push('the client app');
  const lines = [`Shepherd is up: the coordinator, ${apps.join(', ')}.`, ''];
  if (baseUrl) {
    lines.push(
      `  Dashboard      ${baseUrl}/`,
      `  API docs       ${baseUrl}/docs`,
      `  Submit a task  ${submitCommand(baseUrl, apiToken, handlerTypes?.[0])}`,
    );
  } else {
    lines.push('  The client app is not built: no REST API or dashboard this time.');
  }
  const workerEnv = [`ZK_CONNECT=${zkConnect}`];
  if (zkAuth !== undefined) workerEnv.push(`ZK_AUTH=${zkAuth}`);
  const { tls } = addresses;
  if (tls) {
    workerEnv.push(
      `ZK_TLS_CA=${tls.ca}`,
      `ZK_TLS_CERT=${tls.clientCert}`,
      `ZK_TLS_KEY=${tls.clientKey}`,
    );
    lines.push(`  Coordinator    TLS only, throwaway CA and certificates in ${tls.dir}`);
  }
  if (addresses.otel !== undefined)
    lines.push(`  Telemetry      traces and metrics over OTLP to ${addresses.otel}`);
  const worker = [
    'npx',
    'shepherd',
    'worker',
    ...(handlers ? ['--handlers', handlers] : ['--samples']),
  ];
  lines.push(
    `  More workers   ${[...workerEnv, ...worker].map(shellQuote).join(' ')}`,
    '',
    'Ctrl-C stops everything.',
  );
  return lines.join('\n');
}
