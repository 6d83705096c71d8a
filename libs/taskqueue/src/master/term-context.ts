import { ACL } from '@shepherd/zk-protocol';
import { Clock, TransactionOp, ZooKeeperClient } from '@shepherd/zk-client';
import { QueueSettings } from '../queues/queue-settings';
import { TransitionContext } from '../transitions/transition';
import { MasterCounters } from './master-stats';
import { ResolvedMasterOptions } from './master-options';
import { QueueIndex } from './queue-index';
import { WorkerRoster } from './worker-roster';

/**
 * What the parts of one leadership term share: the session it leads on, the fence every multi
 * of the term carries (the election node it was elected with), and the leader's view of the
 * cluster. A term ends for good when leadership is lost; the next one starts from scratch.
 */
export interface TermContext {
  readonly client: ZooKeeperClient;
  /** [check <own election node>]: a multi sent after leadership was lost fails whole. */
  readonly fence: readonly TransactionOp[];
  readonly options: ResolvedMasterOptions;
  readonly counters: MasterCounters;
  readonly roster: WorkerRoster;
  readonly queue: QueueIndex;
  /** Per-type settings from /queues (paused, concurrency, rate limit), kept current. */
  readonly queueSettings: ReadonlyMap<string, QueueSettings>;
  /** False once the term ended: late replies and watch events are then ignored. */
  readonly active: boolean;
  /** ACL and time for the next transition. */
  transition(): TransitionContext;
  /** Something changed that may allow assignments: run a round soon (coalesced). */
  wantRound(): void;
  /** Wake the term's work loop (coalesced). */
  kick(): void;
}

/**
 * What a leader's component that runs beside the term's work loop needs (the Scheduler, the
 * FlowRunner): the session, the term's fence, whether the term still holds, and its options.
 */
export interface LeaderScope {
  readonly client: ZooKeeperClient;
  /** [check <own election node>]: a deposed leader's multi fails whole. */
  readonly fence: readonly TransactionOp[];
  readonly active: boolean;
  readonly options: {
    readonly acl: ACL[];
    readonly clock: Clock;
    readonly logger: {
      debug(obj: object, msg?: string): void;
      info(obj: object, msg?: string): void;
      warn(obj: object, msg?: string): void;
    };
  };
}
