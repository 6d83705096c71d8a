import { mkdirSync, readFileSync } from 'fs';
import { resolve } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { ChildApp, ChildExit } from './child-app';
import { ClusterTls, writeClusterTls } from './cluster-tls';
import { PinoLine, WARN_LEVEL, formatPinoLine, isNoise } from './log-format';
import { httpStatus, portIsFree, ruok } from './probes';

/** Where each app's entry is; `client` undefined runs the cluster without the client app. */
export interface ClusterEntries {
  coordinator: string;
  master: string;
  worker: string;
  client?: string;
}

export interface LocalClusterOptions {
  entries: ClusterEntries;
  /** Node options for every child, before the entry (ts-node's `-r` hooks in tests). */
  nodeArgs?: readonly string[];
  /** The children's working directory (default the current one). */
  cwd?: string;
  /** The children's base environment (default process.env); the cluster's settings override it. */
  env?: NodeJS.ProcessEnv;
  zkPort: number;
  /** The client app's HTTP port. */
  port: number;
  masters: number;
  workers: number;
  /** The coordinator's data directory (created if missing). */
  dataDir: string;
  logLevel?: string;
  apiToken?: string;
  zkAuth?: string;
  sessionTimeoutMs?: number;
  /**
   * Everything over TLS: a throwaway CA in <dataDir>/tls, the coordinator on a secureClientPort
   * only (zkPort), every app with ZK_TLS_CA, ZK_TLS_CERT and ZK_TLS_KEY.
   */
  tls?: boolean;
  /**
   * An OTLP/HTTP endpoint every app exports its traces and metrics to
   * (OTEL_EXPORTER_OTLP_ENDPOINT). Unset: the apps get whatever the environment has.
   */
  otel?: string;
  /** What the workers serve: WORKER_HANDLERS (an absolute module path) and WORKER_SAMPLES. */
  workerHandlers?: { module?: string; samples?: boolean };
  /** Every line the launcher shows goes here (default: stdout). */
  output?: (line: string) => void;
  /** `all`: the children's log lines too; `warnings`: only their warnings, errors and stderr. */
  verbosity?: 'all' | 'warnings';
  /** How long the cluster may take to come up (default 120 s). */
  startTimeoutMs?: number;
  /** How long each shutdown phase waits before SIGKILL (default 15 s, above a worker's drain). */
  stopTimeoutMs?: number;
}

export interface ClusterAddresses {
  /** What the apps were given as ZK_CONNECT. */
  zkConnect: string;
  /** `http://localhost:<port>` when the client app runs. */
  baseUrl?: string;
  /** The PEM files the apps were given, when the cluster runs over TLS. */
  tls?: ClusterTls;
  /** Where the apps export traces and metrics, when they do. */
  otel?: string;
}

/** A child that ended while the cluster was running (not asked to). */
export interface UnexpectedExit extends ChildExit {
  name: string;
}

const CHROOT = '/shepherd';
const LOOPBACK = '127.0.0.1';

/** What an app logs once it is up (see apps/master and apps/worker main.ts and their modules). */
const READY_MESSAGES: Record<'master' | 'worker', (line: PinoLine) => boolean> = {
  master: (l) => typeof l.msg === 'string' && l.msg.startsWith('master started'),
  worker: (l) => l.msg === 'worker started',
};

type Role = 'coordinator' | 'master' | 'worker' | 'client';

interface Member {
  role: Role;
  app: ChildApp;
}

/**
 * A whole Shepherd cluster on this machine, each app its own child process: the embedded
 * coordinator, the masters, the workers and the client app (REST API and dashboard).
 *
 * start(): the coordinator first, until it answers `ruok` with `imok`; then everything else at
 * once, until every master and worker says it started and the client app answers GET /health.
 * stop(): SIGTERM in dependency order (workers and the client app, then the masters, then the
 * coordinator), each phase bounded, SIGKILL past it. A child that dies on its own is reported
 * and the rest keep running.
 *
 * Framework-free, and told where the entries are, so tests run it on ts-node entries.
 */
export class LocalCluster {
  readonly unexpectedExits: UnexpectedExit[] = [];
  private readonly members: Member[] = [];
  private readonly output: (line: string) => void;
  private readonly nameWidth: number;
  private readonly abort = new AbortController();
  private state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  private tls: ClusterTls | undefined;
  private stopped: Promise<void> | undefined;
  private readonly killOnExit = (): void => {
    for (const m of this.members) m.app.signal('SIGKILL');
  };

  constructor(private readonly options: LocalClusterOptions) {
    this.output = options.output ?? ((line) => process.stdout.write(`${line}\n`));
    const names = ['coordinator', `master-${options.masters}`, `worker-${options.workers}`];
    this.nameWidth = Math.max(...names.map((n) => n.length), 'client'.length, 'shepherd'.length);
  }

  get addresses(): ClusterAddresses {
    const { zkPort, port, entries } = this.options;
    return {
      zkConnect: `${LOOPBACK}:${zkPort}${CHROOT}`,
      baseUrl: entries.client ? `http://localhost:${port}` : undefined,
      tls: this.tls,
      otel: this.options.otel ?? (this.options.env ?? process.env).OTEL_EXPORTER_OTLP_ENDPOINT,
    };
  }

  /** name -> pid of every child started so far. */
  get pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.members.map((m) => [m.app.name, m.app.pid]));
  }

  /** The launcher's own lines, prefixed like the children's. */
  say(text: string): void {
    for (const line of text.split('\n'))
      this.output(`${'shepherd'.padEnd(this.nameWidth)} | ${line}`);
  }

  /**
   * Brings the cluster up; resolves once every app is ready. On failure (a port taken, an app
   * that exits, the time limit, stop() meanwhile) it stops whatever it started and rejects.
   */
  async start(): Promise<ClusterAddresses> {
    if (this.state !== 'new') throw new Error(`the cluster was already started (${this.state})`);
    this.state = 'starting';
    process.once('exit', this.killOnExit);
    const timer = setTimeout(
      () =>
        this.abort.abort(new Error(`the cluster did not come up within ${this.startTimeoutMs} ms`)),
      this.startTimeoutMs,
    );
    try {
      await this.checkPorts();
      await this.startCoordinator();
      await this.startApps();
    } catch (err) {
      await this.stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    if (this.state !== 'starting') throw new Error('the cluster was stopped while starting');
    this.state = 'running';
    return this.addresses;
  }

  /** Stops every child in order; idempotent. Aborts a start() in progress. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  /** SIGKILL to every child at once (a second Ctrl-C). */
  kill(): void {
    this.killOnExit();
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 120_000;
  }

  private async checkPorts(): Promise<void> {
    const { zkPort, port, entries } = this.options;
    const wanted: [string, number][] = [['ZK_PORT', zkPort]];
    if (entries.client) wanted.push(['PORT', port]);
    for (const [name, p] of wanted)
      if (!(await portIsFree(p)))
        throw new Error(
          `port ${p} (${name}) is in use: stop what holds it or choose another ${name}`,
        );
  }

  private async startCoordinator(): Promise<void> {
    const { zkPort, dataDir, entries } = this.options;
    const dir = resolve(this.options.cwd ?? process.cwd(), dataDir);
    mkdirSync(dir, { recursive: true });
    // TLS: a fresh throwaway CA, and the coordinator on a secureClientPort only (no plain port).
    this.tls = this.options.tls ? writeClusterTls(resolve(dir, 'tls')) : undefined;
    const port = this.tls
      ? [
          '--secureClientPort',
          String(zkPort),
          '--ssl.keyStore.location',
          this.tls.coordinatorKeyStore,
          '--ssl.trustStore.location',
          this.tls.ca,
        ]
      : ['--clientPort', String(zkPort)];
    const app = this.spawn('coordinator', 'coordinator', entries.coordinator, {}, [
      ...port,
      '--dataDir',
      dir,
      // ruok for the readiness check below; srvr and mntr for whoever monitors it.
      '--4lw.commands.whitelist',
      'ruok,srvr,mntr',
    ]);
    const tls = this.tls && {
      ca: readFileSync(this.tls.ca),
      cert: readFileSync(this.tls.clientCert),
      key: readFileSync(this.tls.clientKey),
    };
    await this.until(app, async () => ruok(LOOPBACK, zkPort, 2000, tls));
    const how = this.tls ? ` over TLS (certificates in ${this.tls.dir})` : '';
    this.say(`coordinator ready on ${LOOPBACK}:${zkPort}${how} (data in ${dataDir})`);
  }

  private async startApps(): Promise<void> {
    const { masters, workers, entries, port } = this.options;
    const ready: Promise<void>[] = [];
    for (let i = 1; i <= masters; i++) {
      const app = this.spawn(`master-${i}`, 'master', entries.master, { MASTER_ID: `master-${i}` });
      ready.push(app.waitForLine(READY_MESSAGES.master, this.abort.signal));
    }
    for (let i = 1; i <= workers; i++) {
      const app = this.spawn(`worker-${i}`, 'worker', entries.worker, {
        WORKER_ID: `worker-${i}`,
        ...this.workerHandlerEnv(),
      });
      ready.push(app.waitForLine(READY_MESSAGES.worker, this.abort.signal));
    }
    if (entries.client) {
      const app = this.spawn('client', 'client', entries.client, { PORT: String(port) });
      ready.push(
        this.until(
          app,
          async () => (await httpStatus(`http://${LOOPBACK}:${port}/health`)) === 200,
        ),
      );
    }
    // Settle all before failing, so that no wait is left dangling.
    const results = await Promise.allSettled(ready);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Polls `probe` until it is true; rejects when `app` exits first or the start is aborted. */
  private async until(app: ChildApp, probe: () => Promise<boolean>): Promise<void> {
    const signal = this.abort.signal;
    for (;;) {
      signal.throwIfAborted();
      if (app.hasExited) throw app.exitedEarly(await app.exited);
      if (await probe()) return;
      await sleep(100);
    }
  }

  /** The workers' WORKER_HANDLERS and WORKER_SAMPLES, when the cluster was given them. */
  private workerHandlerEnv(): Record<string, string> {
    const { module, samples } = this.options.workerHandlers ?? {};
    const env: Record<string, string> = {};
    if (module !== undefined) env.WORKER_HANDLERS = module;
    if (samples !== undefined) env.WORKER_SAMPLES = String(samples);
    return env;
  }

  /** The environment every app gets: where ZooKeeper is, and the shared settings. */
  private childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const o = this.options;
    const env: NodeJS.ProcessEnv = {
      ...(o.env ?? process.env),
      ZK_CONNECT: this.addresses.zkConnect,
      LOG_LEVEL: o.logLevel ?? 'info',
      ...extra,
    };
    if (o.otel !== undefined) {
      env.OTEL_EXPORTER_OTLP_ENDPOINT = o.otel;
      // A dev cluster shows its numbers within seconds, not the SDK's default minute.
      env.OTEL_METRIC_EXPORT_INTERVAL ??= '10000';
    }
    // Unset means unset: not whatever the launcher's own environment had.
    for (const [key, value] of [
      ['API_TOKEN', o.apiToken],
      ['ZK_AUTH', o.zkAuth],
      ['ZK_SESSION_TIMEOUT_MS', o.sessionTimeoutMs?.toString()],
      ['ZK_TLS_CA', this.tls?.ca],
      ['ZK_TLS_CERT', this.tls?.clientCert],
      ['ZK_TLS_KEY', this.tls?.clientKey],
    ] as const) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    return env;
  }

  private spawn(
    name: string,
    role: Role,
    entry: string,
    extraEnv: Record<string, string>,
    args: string[] = [],
  ): ChildApp {
    if (this.abort.signal.aborted) throw this.abort.signal.reason;
    const app = new ChildApp({
      name,
      entry,
      args,
      nodeArgs: this.options.nodeArgs ?? [],
      env: this.childEnv(extraEnv),
      cwd: this.options.cwd ?? process.cwd(),
    });
    this.members.push({ role, app });
    const prefix = `${name.padEnd(this.nameWidth)} | `;
    const all = (this.options.verbosity ?? 'all') === 'all';
    app.on('stdout', (line, parsed) => {
      if (parsed === undefined) {
        if (all) this.output(prefix + line);
      } else if (parsed.level >= WARN_LEVEL || (all && !isNoise(parsed))) {
        for (const l of formatPinoLine(parsed).split('\n')) this.output(prefix + l);
      }
    });
    app.on('stderr', (line) => this.output(`${prefix}${line}`));
    app.on('exit', (exit) => this.onExit(name, exit));
    return app;
  }

  private onExit(name: string, exit: ChildExit): void {
    if (this.state !== 'running' && this.state !== 'starting') return;
    this.unexpectedExits.push({ name, ...exit });
    const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const alive = this.members.filter((m) => !m.app.hasExited).length;
    this.say(`${name} ${how}, unexpectedly; the other ${alive} keep running`);
  }

  private async shutdown(): Promise<void> {
    this.state = 'stopping';
    this.abort.abort(new Error('the cluster is stopping'));
    const timeoutMs = this.options.stopTimeoutMs ?? 15_000;
    const phases: Role[][] = [['worker', 'client'], ['master'], ['coordinator']];
    for (const roles of phases) {
      const members = this.members.filter((m) => roles.includes(m.role) && !m.app.hasExited);
      if (members.length === 0) continue;
      this.say(`stopping ${members.map((m) => m.app.name).join(', ')}`);
      await Promise.all(members.map((m) => m.app.stop(timeoutMs)));
    }
    process.off('exit', this.killOnExit);
    this.state = 'stopped';
    if (this.members.length > 0) this.say('all stopped');
  }
}
