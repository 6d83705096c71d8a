// Public surface of schedules: cron and fixed-interval tasks fired by the leading master.
export {
  MAX_EVERY_MS,
  MIN_EVERY_MS,
  isTimeZone,
  nextFireTime,
  nextFireTimes,
  previousFireTime,
  validateTiming,
  type ScheduleTiming,
} from './fire-times';
export {
  LAST_TASKS_KEPT,
  MISSED_AFTER_MS,
  MISSED_POLICIES,
  decodeSchedule,
  dueFireTimes,
  encodeSchedule,
  isScheduleName,
  newScheduleData,
  patchScheduleData,
  scheduleTaskKey,
  type MissedPolicy,
  type ScheduleData,
  type SchedulePatch,
  type ScheduleSpec,
  type ScheduleTask,
  type ScheduledTaskRef,
} from './schedule';
export {
  NEXT_FIRE_TIMES_SHOWN,
  ScheduleExistsError,
  ScheduleNotFoundError,
  toScheduleView,
  type ScheduleView,
} from './schedule-client';
export { SCHEDULER_POLL_MS, Scheduler, type SchedulerTerm } from './scheduler';
