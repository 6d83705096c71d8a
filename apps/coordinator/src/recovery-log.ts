import { RecoveryReport } from '@shepherd/zk-server';
import { Logger, hex } from './logger';

/**
 * What recovery found, as one info line, plus a warning when the txn log had a damaged tail
 * (cut at the last good record) or later files were set aside: that is lost history an
 * operator must know about.
 */
export function logRecovery(logger: Logger, report: RecoveryReport | undefined): void {
  if (!report) return;
  logger.info(
    {
      snapshot: report.snapshot && { file: report.snapshot.file, zxid: hex(report.snapshot.zxid) },
      logFilesRead: report.logFilesRead,
      txnsReplayed: report.txnsReplayed,
      lastZxid: hex(report.lastZxid),
      removedTempFiles: report.removedTempFiles,
    },
    'recovered data',
  );
  for (const bad of report.invalidSnapshots) {
    logger.warn({ snapshot: bad }, 'skipped an invalid snapshot');
  }
  const t = report.truncation;
  if (t) {
    logger.warn(
      {
        file: t.file,
        offset: t.offset,
        reason: t.reason,
        bytesCut: t.bytesCut,
        fileRemoved: t.fileRemoved,
        lastGoodZxid: t.lastGoodZxid === null ? null : hex(t.lastGoodZxid),
        discardedFiles: report.discardedFiles,
      },
      'txn log had a damaged tail: truncated at the last intact record',
    );
  }
}
