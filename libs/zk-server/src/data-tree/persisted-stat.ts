import { Stat } from '@shepherd/zk-protocol';

/**
 * The stat a znode keeps (zookeeper.jute: StatPersisted), as opposed to the Stat clients see.
 * `cversion` here counts the creates of children only: clients see `cversion * 2 - numChildren`
 * (creates plus deletes; DataNode.copyStat), and sequential names use this raw count. A
 * snapshot must store these values, not the client Stat.
 */
export type PersistedStat = Omit<Stat, 'dataLength' | 'numChildren'>;
