import { existsSync } from 'fs';
import { extname, resolve } from 'path';
import { ConfigError, EXIT_FAILURE, EXIT_INVALID_CONFIG, loadEnvOrExit } from '../../app-kit/src';
import { loadHandlerModule, resolveHandlerPath } from '../../worker/src/handler-module';
import { banner, plural } from './banner';
import { DEFAULT_OTLP_ENDPOINT, loadLauncherEnv } from './launcher-env';
import { ClusterEntries, LocalCluster } from './local-cluster';

/** A second signal this soon after the first is the same one, delivered twice. */
const SIGNAL_ECHO_MS = 500;

/**
 * The other apps' entries, found beside this one: dist/<app>/src/main.js in the built package,
 * apps/<app>/src/main.ts when this file runs under ts-node.
 */
function siblingEntries(): ClusterEntries {
  const entry = (app: string): string =>
    resolve(__dirname, '..', '..', app, 'src', `main${extname(__filename)}`);
  const client = entry('client');
  return {
    coordinator: entry('coordinator'),
    master: entry('master'),
    worker: entry('worker'),
    client: existsSync(client) ? client : undefined,
  };
}

/**
 * The workers' handler module as an absolute path, loaded once here so that a module that does
 * not load or exports no handler stops `shepherd up` before anything starts (exit 2).
 */
async function checkedHandlerModule(
  spec: string | undefined,
): Promise<{ path: string; types: string[] } | undefined> {
  if (spec === undefined) return undefined;
  try {
    const table = await loadHandlerModule(spec);
    return { path: resolveHandlerPath(spec), types: Object.keys(table).sort() };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`shepherd: ${err.message}\n`);
    process.exit(EXIT_INVALID_CONFIG);
  }
}

/**
 * `shepherd up` (and `npm start`): a local cluster (the embedded coordinator, MASTERS masters,
 * WORKERS workers running WORKER_HANDLERS or the samples, and the client app) as child
 * processes, their logs in one stream. Ctrl-C or SIGTERM stops them in order and exits 0; a
 * second Ctrl-C kills them at once.
 */
export async function runUp(): Promise<void> {
  const env = loadEnvOrExit(loadLauncherEnv, 'shepherd');
  const handlerModule = await checkedHandlerModule(env.WORKER_HANDLERS);
  const entries = siblingEntries();
  const cluster = new LocalCluster({
    entries,
    // The same Node options as ours: ts-node's hooks when run from source, none when built.
    nodeArgs: process.execArgv,
    zkPort: env.ZK_PORT,
    port: env.PORT,
    masters: env.MASTERS,
    workers: env.WORKERS,
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
    apiToken: env.API_TOKEN,
    zkAuth: env.ZK_AUTH,
    sessionTimeoutMs: env.ZK_SESSION_TIMEOUT_MS,
    tls: env.ZK_TLS,
    otel: env.SHEPHERD_OTEL
      ? process.env.OTEL_EXPORTER_OTLP_ENDPOINT || DEFAULT_OTLP_ENDPOINT
      : undefined,
    workerHandlers: { module: handlerModule?.path, samples: env.WORKER_SAMPLES },
  });

  let stopping = false;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // One Ctrl-C can arrive twice: from the terminal, and forwarded by `npm start`.
      if (Date.now() - firstSignalAt < SIGNAL_ECHO_MS) return;
      cluster.say(`${signal} again: killing everything`);
      cluster.kill();
      process.exit(EXIT_FAILURE);
    }
    stopping = true;
    firstSignalAt = Date.now();
    cluster.say(`${signal}: stopping the cluster (again to kill it at once)`);
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  if (!entries.client) cluster.say('warning: the client app is not built; starting without it');
  cluster.say(
    `starting the coordinator, ${plural(env.MASTERS, 'master')}, ${plural(env.WORKERS, 'worker')}`,
  );
  try {
    const addresses = await cluster.start();
    // Unprefixed, so the URLs and the curl line copy cleanly.
    const text = banner({
      addresses,
      masters: env.MASTERS,
      workers: env.WORKERS,
      apiToken: env.API_TOKEN,
      zkAuth: env.ZK_AUTH,
      handlers: handlerModule?.path,
      // The curl line submits a sample task when the samples run, else one of the user's.
      handlerTypes: handlerModule && env.WORKER_SAMPLES !== true ? handlerModule.types : undefined,
    });
    process.stdout.write(`\n${text}\n\n`);
  } catch (err) {
    if (stopping) return; // the signal handler exits once everything is down
    cluster.say(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(EXIT_FAILURE);
  }
}
