import {
  InvalidTaskError,
  MISSED_AFTER_MS,
  ScheduleData,
  dueFireTimes,
  newScheduleData,
  nextFireTime,
  nextFireTimes,
  patchScheduleData,
  previousFireTime,
  validateTiming,
} from '@shepherd/taskqueue';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe('schedules: fire times', () => {
  it('cron with 5 fields fires on minutes, in UTC by default', () => {
    const t = nextFireTime({ cron: '*/15 * * * *' }, at('2026-05-01T10:07:30Z'));
    expect(iso(t)).toBe('2026-05-01T10:15:00.000Z');
    // strictly after: a fire time is not its own next one
    expect(iso(nextFireTime({ cron: '*/15 * * * *' }, at('2026-05-01T10:15:00Z')))).toBe(
      '2026-05-01T10:30:00.000Z',
    );
  });

  it('cron with a seconds field', () => {
    const times = nextFireTimes({ cron: '*/20 * * * * *' }, at('2026-05-01T10:00:05Z'), 4);
    expect(times.map(iso)).toEqual([
      '2026-05-01T10:00:20.000Z',
      '2026-05-01T10:00:40.000Z',
      '2026-05-01T10:01:00.000Z',
      '2026-05-01T10:01:20.000Z',
    ]);
    expect(iso(previousFireTime({ cron: '*/20 * * * * *' }, at('2026-05-01T10:00:40Z')))).toBe(
      '2026-05-01T10:00:40.000Z',
    );
    expect(iso(previousFireTime({ cron: '*/20 * * * * *' }, at('2026-05-01T10:00:39Z')))).toBe(
      '2026-05-01T10:00:20.000Z',
    );
  });

  it('cron in an IANA time zone follows daylight saving time', () => {
    // 09:00 in Paris: 08:00Z in winter (CET), 07:00Z after the switch on 2026-03-29 (CEST).
    const times = nextFireTimes(
      { cron: '0 9 * * *', timezone: 'Europe/Paris' },
      at('2026-03-27T12:00:00Z'),
      3,
    );
    expect(times.map(iso)).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    const ny = nextFireTime(
      { cron: '0 0 12 * * *', timezone: 'America/New_York' },
      at('2026-07-01T00:00:00Z'),
    );
    expect(iso(ny)).toBe('2026-07-01T16:00:00.000Z');
  });

  it('every: the multiples of the interval since the epoch', () => {
    expect(nextFireTime({ every: 300 }, 1000)).toBe(1200);
    expect(nextFireTime({ every: 300 }, 1200)).toBe(1500);
    expect(previousFireTime({ every: 300 }, 1499)).toBe(1200);
    expect(nextFireTimes({ every: 60_000 }, at('2026-05-01T10:00:30Z'), 2).map(iso)).toEqual([
      '2026-05-01T10:01:00.000Z',
      '2026-05-01T10:02:00.000Z',
    ]);
  });

  it('invalid timings are refused with a clear message', () => {
    const bad: [object, RegExp][] = [
      [{ cron: '61 * * * *' }, /invalid cron expression/],
      [{ cron: '* * * *' }, /5 fields/],
      [{ cron: '* * * * * * *' }, /5 fields/],
      [{ cron: 'every day' }, /invalid cron expression/],
      [{ cron: '0 9 * * *', timezone: 'Mars/Olympus' }, /unknown time zone/],
      [{ cron: '* * * * *', every: 1000 }, /not both/],
      [{}, /needs cron or every/],
      [{ every: 10 }, /every must be an integer/],
      [{ every: 1.5 }, /every must be an integer/],
      [{ every: 1000, timezone: 'UTC' }, /cron schedules only/],
    ];
    for (const [timing, message] of bad) {
      expect(() => validateTiming(timing)).toThrow(InvalidTaskError);
      expect(() => validateTiming(timing)).toThrow(message);
    }
    expect(() => validateTiming({ cron: '0 9 * * 1-5', timezone: 'Asia/Tokyo' })).not.toThrow();
  });
});

describe('schedules: data and due fire times', () => {
  const base = (over: Partial<ScheduleData> = {}): ScheduleData => ({
    ...newScheduleData({ name: 'tick', every: 1000, task: { type: 'echo', payload: 1 } }, 10_000),
    ...over,
  });

  it('validates name, missed policy and task', () => {
    const task = { type: 'echo', payload: {} };
    expect(() => newScheduleData({ name: 'a b', every: 1000, task }, 0)).toThrow(/name must/);
    expect(() =>
      newScheduleData({ name: 'a', every: 1000, task, missed: 'all' as never }, 0),
    ).toThrow(/missed must be/);
    expect(() =>
      newScheduleData({ name: 'a', every: 1000, task: { type: 'bad type' } }, 0),
    ).toThrow(/task: type must/);
    expect(() =>
      newScheduleData(
        { name: 'a', every: 1000, task: { ...task, idempotencyKey: 'k' } as never },
        0,
      ),
    ).toThrow(/idempotencyKey/);
    expect(() =>
      newScheduleData({ name: 'a', every: 1000, task: { ...task, maxAttempts: 0 } }, 0),
    ).toThrow(/task: maxAttempts/);
    const data = newScheduleData({ name: 'a', every: 1000, task }, 5);
    expect(data).toMatchObject({ name: 'a', every: 1000, missed: 'skip', since: 5, createdAt: 5 });
  });

  it('fires each due time once, after the last fire time', () => {
    expect(dueFireTimes(base(), 12_500)).toEqual([11_000, 12_000]);
    expect(dueFireTimes(base({ lastFireAt: 11_000 }), 12_500)).toEqual([12_000]);
    expect(dueFireTimes(base({ lastFireAt: 12_000 }), 12_500)).toEqual([]);
    expect(dueFireTimes(base({ paused: true }), 12_500)).toEqual([]);
  });

  it("missed 'skip' drops fire times more than MISSED_AFTER_MS late; 'once' fires one for them", () => {
    const now = 60_500;
    const late = now - MISSED_AFTER_MS;
    const onTime = [59_000, 60_000].filter((t) => t > late);
    expect(dueFireTimes(base({ lastFireAt: 20_000 }), now)).toEqual(onTime);
    expect(dueFireTimes(base({ lastFireAt: 20_000, missed: 'once' }), now)).toEqual([
      Math.floor(late / 1000) * 1000,
      ...onTime,
    ]);
  });

  it('a resume or a new timing counts fire times from then; the fire history stays', () => {
    const paused = patchScheduleData(base({ lastFireAt: 11_000 }), { paused: true }, 12_000);
    expect(paused).toMatchObject({ paused: true, since: 10_000, lastFireAt: 11_000 });
    const resumed = patchScheduleData(paused, { paused: false }, 30_000);
    expect(resumed.paused).toBeUndefined();
    expect(resumed.since).toBe(30_000);
    expect(dueFireTimes({ ...resumed, missed: 'once' }, 30_500)).toEqual([]);
    const cron = patchScheduleData(resumed, { cron: '*/5 * * * * *' }, 31_000);
    expect(cron.every).toBeUndefined();
    expect(cron.cron).toBe('*/5 * * * * *');
    expect(() => patchScheduleData(resumed, { timezone: 'Nowhere/X' }, 0)).toThrow(/time zone/);
  });
});
