import { Txn, TxnHeader } from '../txn/txn';

/**
 * Where the server logs every txn before anyone may see its effect (SyncRequestProcessor's
 * half of the pipeline). append() must not be awaited in series by the caller: many appends may
 * be outstanding at once and the sink is expected to make them durable in zxid order, several
 * per fsync (group commit). The promise resolves once the txn is durable; a rejection means the
 * log is broken, and the server stops serving (ZooKeeper exits on a failed log write).
 *
 * persistence/TxnSnapLog satisfies this interface structurally (append(header, txn) returns a
 * Promise that resolves once durable), so it can be passed as the server's `log` as is.
 */
export interface TxnLogSink {
  append(header: TxnHeader, txn: Txn): Promise<void>;
}

/**
 * A log that keeps nothing durable: every txn is "synced" at once. The default for an
 * embedded server without a data directory (tests, ephemeral coordination); `entries` may be
 * kept for inspection.
 */
export class InMemoryTxnLog implements TxnLogSink {
  readonly entries: Array<{ header: TxnHeader; txn: Txn }> = [];

  constructor(private readonly keep = false) {}

  append(header: TxnHeader, txn: Txn): Promise<void> {
    if (this.keep) this.entries.push({ header, txn });
    return Promise.resolve();
  }
}
