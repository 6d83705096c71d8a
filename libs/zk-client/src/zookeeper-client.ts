import { EventEmitter } from 'events';
import { Observable, Subject } from 'rxjs';
import {
  ACL,
  RequestACL,
  AddWatchMode,
  BadArgumentsError,
  ClientInfo,
  CreateMode,
  KeeperState,
  NoWatcherError,
  OpCode,
  Request,
  Response,
  Stat,
  WatcherType,
  isSequential,
  stringsOf,
} from '@shepherd/zk-protocol';
import { Call, WatchSpec } from './call';
import { Chroot, invalidPathReason } from './chroot';
import { ClientState } from './client-state';
import type { Clock } from '@shepherd/zk-protocol';
import { systemClock } from './system-clock';
import { parseConnectString } from './connect-string';
import { HostProvider } from './host-provider';
import {
  ReadRequest,
  ReadResult,
  createRequest,
  toMultiOps,
  toOpResults,
  toReadOps,
  toReadResults,
} from './multi-results';
import { childrenObservable, dataObservable } from './rx-watch';
import { Session } from './session';
import { ClientTlsOptions, tcpTransportFactory, tlsTransportFactory } from './tcp-transport';
import { CreateOptions, OpResult, Transaction, TransactionOp, dataToBuffer } from './transaction';
import { TransportFactory } from './transport';
import { WatchRegistry, kindsFor } from './watch-registry';
import { Watcher } from './watcher';
import { WatchArg, WatchDispatcher } from './watch-dispatcher';

export interface ClientOptions {
  /** Requested session timeout in ms (default 30000); the server negotiates the real one. */
  sessionTimeout?: number;
  /** Re-attach to an existing session (with sessionPassword). */
  sessionId?: bigint;
  sessionPassword?: Buffer;
  /** Per-server wait for TCP + ConnectResponse; default negotiated timeout / number of hosts. */
  connectTimeout?: number;
  /** Shuffle the host list (default true), as StaticHostProvider does. */
  shuffleHosts?: boolean;
  /**
   * Connect over TLS (a server's secureClientPort), verifying the server's certificate against
   * `ca`; `cert` and `key` are sent when the server asks for a client certificate, which it
   * then authenticates as `x509:<subject DN>`. Ignored when transportFactory is given.
   */
  tls?: ClientTlsOptions;
  transportFactory?: TransportFactory;
  clock?: Clock;
  maxFrameSize?: number;
  /** Credentials sent on every connection, before any request. */
  auth?: { scheme: string; auth: Buffer | string }[];
  /** Receives session events (and `watch: true` notifications). */
  defaultWatcher?: Watcher;
}

/** The response variant whose `op` union includes O (some variants cover several ops). */
type Resp<O extends OpCode> = Response extends infer R
  ? R extends { op: infer P }
    ? O extends P
      ? R
      : never
    : never
  : never;

/** Promise-based ZooKeeper client (the Java ZooKeeper class, without callbacks). */
export class ZooKeeperClient extends EventEmitter {
  /** Session events: SyncConnected, Disconnected, Expired, AuthFailed, Closed... */
  readonly state$: Observable<KeeperState>;
  private readonly stateSubject = new Subject<KeeperState>();
  private readonly chroot: Chroot;
  private readonly registry = new WatchRegistry();
  private readonly session: Session;
  private readonly watches: WatchDispatcher;

  constructor(connectString: string, options: ClientOptions = {}) {
    super();
    const parsed = parseConnectString(connectString);
    this.chroot = new Chroot(parsed.chroot);
    this.state$ = this.stateSubject.asObservable();
    this.watches = new WatchDispatcher(this.registry, this.chroot, options.defaultWatcher);
    this.session = new Session({
      hosts: new HostProvider(parsed.hosts, options.shuffleHosts ?? true),
      transportFactory:
        options.transportFactory ??
        (options.tls ? tlsTransportFactory(options.tls) : tcpTransportFactory),
      clock: options.clock ?? systemClock,
      sessionTimeout: options.sessionTimeout ?? 30000,
      sessionId: options.sessionId,
      sessionPassword: options.sessionPassword,
      connectTimeout: options.connectTimeout,
      maxFrameSize: options.maxFrameSize,
      registry: this.registry,
      toServerPath: (p) => this.chroot.toServer(p),
      onSessionEvent: (s) =>
        this.watches.sessionEvent(s, () => {
          this.stateSubject.next(s);
          this.emit('state', s);
        }),
      onNotification: (e) => this.watches.notification(e),
    });
    for (const a of options.auth ?? []) this.session.auth.add(a.scheme, toAuthBuffer(a.auth));
  }

  get state(): ClientState {
    return this.session.state;
  }
  get sessionId(): bigint {
    return this.session.sessionId;
  }
  get sessionPassword(): Buffer {
    return this.session.password;
  }
  /** The timeout the server granted (0 before the first connection). */
  get sessionTimeout(): number {
    return this.session.negotiatedTimeout;
  }
  get lastZxid(): bigint {
    return this.session.lastZxid;
  }
  get chrootPath(): string | undefined {
    return this.chroot.root;
  }

  /** Resolves on the first SyncConnected; rejects with SessionExpiredError / AuthFailedError. */
  connect(): Promise<void> {
    return this.session.connect();
  }

  /** Sends closeSession (ephemerals go now, not after the timeout) and ends in CLOSED. */
  close(): Promise<void> {
    return this.session.close();
  }

  async create(path: string, data?: Buffer | string | null, opts: CreateOptions = {}) {
    const r = await this.createNode(path, data, opts, false);
    return this.chroot.toClient(r.path);
  }

  async createWithStat(path: string, data?: Buffer | string | null, opts: CreateOptions = {}) {
    const r = (await this.createNode(path, data, opts, true)) as Resp<OpCode.create2>;
    return { path: this.chroot.toClient(r.path), stat: r.stat };
  }

  async delete(path: string, version = -1): Promise<void> {
    await this.send({ op: OpCode.delete, path: this.server(path), version }, path);
  }

  async exists(path: string, watch?: WatchArg): Promise<Stat | null> {
    const w = this.watches.spec('exists', path, watch);
    const req: Request = { op: OpCode.exists, path: this.server(path), watch: w !== undefined };
    const r = (await this.send(req, path, w)) as Resp<OpCode.exists> | undefined;
    return r ? r.stat : null;
  }

  /** The node's data (null if it was created or last set with null, as ZooKeeper answers) and stat. */
  async getData(path: string, watch?: WatchArg): Promise<{ data: Buffer | null; stat: Stat }> {
    const w = this.watches.spec('data', path, watch);
    const req: Request = { op: OpCode.getData, path: this.server(path), watch: w !== undefined };
    const r = (await this.send(req, path, w)) as Resp<OpCode.getData>;
    return { data: r.data, stat: r.stat };
  }

  async setData(path: string, data: Buffer | string | null, version = -1): Promise<Stat> {
    const req: Request = {
      op: OpCode.setData,
      path: this.server(path),
      data: dataToBuffer(data),
      version,
    };
    return ((await this.send(req, path)) as Resp<OpCode.setData>).stat;
  }

  async getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    const r = (await this.send(
      { op: OpCode.getACL, path: this.server(path) },
      path,
    )) as Resp<OpCode.getACL>;
    return { acl: r.acl, stat: r.stat };
  }

  async setACL(path: string, acl: RequestACL[], version = -1): Promise<Stat> {
    const req: Request = { op: OpCode.setACL, path: this.server(path), acl, version };
    return ((await this.send(req, path)) as Resp<OpCode.setACL>).stat;
  }

  async getChildren(path: string, watch?: WatchArg): Promise<string[]> {
    const w = this.watches.spec('child', path, watch);
    const req: Request = {
      op: OpCode.getChildren,
      path: this.server(path),
      watch: w !== undefined,
    };
    return stringsOf(((await this.send(req, path, w)) as Resp<OpCode.getChildren>).children);
  }

  async getChildrenWithStat(path: string, watch?: WatchArg) {
    const w = this.watches.spec('child', path, watch);
    const req: Request = {
      op: OpCode.getChildren2,
      path: this.server(path),
      watch: w !== undefined,
    };
    const r = (await this.send(req, path, w)) as Resp<OpCode.getChildren2>;
    return { children: stringsOf(r.children), stat: r.stat };
  }

  async sync(path: string): Promise<string> {
    const r = (await this.send(
      { op: OpCode.sync, path: this.server(path) },
      path,
    )) as Resp<OpCode.sync>;
    return this.chroot.toClient(r.path);
  }

  transaction(): Transaction {
    return new Transaction((ops) => this.multi(ops));
  }

  async multi(ops: TransactionOp[]): Promise<OpResult[]> {
    for (const o of ops)
      this.server(
        o.path,
        o.type === 'create' && isSequential(o.options.mode ?? CreateMode.PERSISTENT),
      );
    const r = (await this.send(
      { op: OpCode.multi, ops: toMultiOps(ops, this.chroot) },
      undefined,
    )) as Resp<OpCode.multi>;
    return toOpResults(ops, r.results, this.chroot);
  }

  async multiRead(ops: ReadRequest[]): Promise<ReadResult[]> {
    for (const o of ops) this.server(o.path);
    const req: Request = { op: OpCode.multiRead, ops: toReadOps(ops, this.chroot) };
    const r = (await this.send(req, undefined)) as Resp<OpCode.multiRead>;
    return toReadResults(ops, r.results);
  }

  /** Persistent (recursive) watch: stays armed until removed (ZooKeeper.addWatch, 3.6+). */
  async addWatch(path: string, watcher: Watcher, mode: AddWatchMode): Promise<void> {
    const kind = mode === AddWatchMode.PERSISTENT_RECURSIVE ? 'persistentRecursive' : 'persistent';
    await this.send({ op: OpCode.addWatch, path: this.server(path), mode }, path, {
      kind,
      path,
      watcher,
    });
  }

  /**
   * Remove `watcher` (or every watcher, if null) of `type` from `path`; NoWatcherError if none.
   * `local` removes client-side only, without asking the server (works while disconnected).
   * Otherwise the server is asked to drop its watch when no other local watcher still needs
   * it (removeWatches), or just to confirm it (checkWatches), as ZooKeeper.removeWatches does.
   */
  async removeWatches(path: string, watcher: Watcher | null, type: WatcherType, local = false) {
    this.server(path);
    const kinds = kindsFor(type);
    if (!this.registry.contains(path, watcher, kinds)) throw new NoWatcherError(path);
    if (!local) {
      const others = this.registry.hasOthers(path, watcher, kinds);
      const op = others ? OpCode.checkWatches : OpCode.removeWatches;
      await this.send({ op, path: this.server(path), type }, path);
    }
    this.watches.remove(path, watcher, kinds);
  }

  /** Check that a watch of `type` is set on `path`, locally and on the server. */
  async checkWatches(path: string, type: WatcherType, watcher: Watcher | null = null) {
    if (!this.registry.contains(path, watcher, kindsFor(type))) throw new NoWatcherError(path);
    await this.send({ op: OpCode.checkWatches, path: this.server(path), type }, path);
  }

  /** Add credentials (e.g. 'digest', 'user:pass'); replayed on every reconnect. */
  addAuth(scheme: string, auth: Buffer | string): Promise<void> {
    return this.session.addAuth(scheme, toAuthBuffer(auth));
  }

  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    const req: Request = { op: OpCode.getEphemerals, prefixPath: this.server(prefixPath) };
    const r = (await this.send(req, prefixPath)) as Resp<OpCode.getEphemerals>;
    return r.ephemerals.map((p) => this.chroot.toClient(p));
  }

  async getAllChildrenNumber(path: string): Promise<number> {
    const req: Request = { op: OpCode.getAllChildrenNumber, path: this.server(path) };
    return ((await this.send(req, path)) as Resp<OpCode.getAllChildrenNumber>).totalNumber;
  }

  async whoAmI(): Promise<ClientInfo[]> {
    return ((await this.send({ op: OpCode.whoAmI }, undefined)) as Resp<OpCode.whoAmI>).clientInfo;
  }

  /** Current data of `path`, re-emitted on every change; null while the node is absent. */
  data$(path: string): Observable<{ data: Buffer | null; stat: Stat } | null> {
    return dataObservable(this, path);
  }

  /** Current children of `path`, re-emitted on every change; [] while the node is absent. */
  children$(path: string): Observable<string[]> {
    return childrenObservable(this, path);
  }

  // --- internals -----------------------------------------------------------------------

  private createNode(
    path: string,
    data: Buffer | string | null | undefined,
    opts: CreateOptions,
    withStat: boolean,
  ) {
    const server = this.server(path, isSequential(opts.mode ?? CreateMode.PERSISTENT));
    let req: Request;
    try {
      req = createRequest(server, dataToBuffer(data), opts, withStat);
    } catch {
      return Promise.reject(new BadArgumentsError(path));
    }
    return this.send(req, path) as Promise<Resp<OpCode.create> | Resp<OpCode.create2>>;
  }

  private send(
    request: Request,
    path: string | undefined,
    watch?: WatchSpec,
  ): Promise<Response | undefined> {
    return new Promise((resolve, reject) => {
      this.session.submit(new Call(request.op, path, resolve, reject, watch), request);
    });
  }

  /** Validate a client path and map it to the server; throws BadArgumentsError (in an async fn). */
  private server(path: string, sequential = false): string {
    if (invalidPathReason(path, sequential) !== undefined) throw new BadArgumentsError(path);
    return this.chroot.toServer(path);
  }
}

function toAuthBuffer(auth: Buffer | string): Buffer {
  return typeof auth === 'string' ? Buffer.from(auth) : auth;
}
