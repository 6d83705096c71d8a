/** Columns of the throughput table, printed by the benchmark and again by the report. */
export const THROUGHPUT_COLUMNS = [
  'peer',
  'submit via',
  'tasks/s',
  'p50 ms',
  'p99 ms',
  'vs BullMQ',
  'CPU µs per task (median)',
];
/** Shepherd rows only: where each task's time went, from its history. */
export const PHASE_COLUMN = 'p50 ms of each step to';
