import { ZooKeeperConnection } from '@shepherd/coordination';
import { ScheduleNotFoundError, TaskQueueClient, Worker } from '@shepherd/taskqueue';
import { ZkServer } from '@shepherd/zk-server';
import { COMMANDS } from '../../apps/cli/src/commands';
import { cliOn } from './support/captured-cli';
import { TEST_HANDLERS } from '../support/test-handlers';

// `shepherd queues` and `shepherd schedules`, run in this process (runCli, output captured)
// against an embedded coordinator; what they store is checked through the library.

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let server: ZkServer;
let connectString: string;
let connection: ZooKeeperConnection;
let client: TaskQueueClient;
let worker: Worker;
const savedEnv = { ...process.env };

beforeAll(async () => {
  server = new ZkServer({ port: 0, tickTime: 100 });
  await server.start();
  connectString = `${server.connectString}/cli-queues-${process.pid}`;
  // The first command creates the chroot; the library's connection comes after.
  expect((await cli('queues')).code).toBe(0);
  connection = new ZooKeeperConnection({ connectString, sessionTimeoutMs: 2000 });
  await connection.connect();
  client = new TaskQueueClient({ connection });
  worker = new Worker({
    id: 'w-echo',
    connection,
    concurrency: 1,
    handlers: { echo: TEST_HANDLERS.echo },
    shutdownGraceMs: 0,
    closeConnection: false,
  });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop({ graceMs: 0 }).catch(() => undefined);
  client?.close();
  await connection?.close().catch(() => undefined);
  await server?.stop();
  process.env = savedEnv; // the commands' flags set ZK_CONNECT and the like
});

const cli = cliOn(() => connectString);

/** A command that must succeed; its output as JSON (a list: JSON lines). */
async function json<T = Record<string, unknown>>(...argv: string[]): Promise<T> {
  const r = await cli(...argv);
  expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: '' });
  return JSON.parse(r.out) as T;
}

async function jsonLines(...argv: string[]): Promise<Record<string, unknown>[]> {
  const r = await cli(...argv);
  expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: '' });
  return r.out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Each command line must exit 2 with its one-line reason, the --help hint, and no stack. */
async function refused(cases: [string[], RegExp][]): Promise<void> {
  for (const [argv, message] of cases) {
    const r = await cli(...argv);
    expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 2, out: '' });
    expect(r.err).toMatch(message);
    expect(r.err.split('\n')[1]).toBe(`Run shepherd ${argv[0]} --help for usage.`);
    expect(r.err).not.toMatch(/\n\s+at /);
  }
}

describe('shepherd queues', () => {
  it('lists the queues as JSON lines, with the live workers serving each', async () => {
    await client.setQueue('listed', { concurrency: 2 });
    const lines = await jsonLines('queues');
    expect(lines.map((q) => q.type)).toEqual(['echo', 'listed']);
    expect(lines[0]).toMatchObject({ type: 'echo', paused: false, concurrency: null, workers: 1 });
    expect(lines[1]).toMatchObject({ type: 'listed', concurrency: 2, rateLimit: null, workers: 0 });
  });

  it('shows one queue, with defaults for a type nobody configured', async () => {
    expect(await json('queues', 'echo')).toMatchObject({
      type: 'echo',
      paused: false,
      concurrency: null,
      rateLimit: null,
      workers: 1,
    });
    expect(await json('queues', 'nobody-runs-this')).toMatchObject({ workers: 0 });
  });

  it('sets, keeps and clears settings, and prints the new ones', async () => {
    const set = await json('queues', 'resize', '--pause', '--concurrency', '3');
    expect(set).toMatchObject({ type: 'resize', paused: true, concurrency: 3, rateLimit: null });
    expect(await client.queue('resize')).toMatchObject({ paused: true, concurrency: 3 });

    // Only the flags given change: the pause and the cap stay.
    await json('queues', 'resize', '--rate-limit', '100/1000');
    expect(await client.queue('resize')).toMatchObject({
      paused: true,
      concurrency: 3,
      rateLimit: { max: 100, perMs: 1000 },
    });

    const cleared = await json('queues', 'resize', '--resume', '--clear-concurrency');
    expect(cleared).toMatchObject({ paused: false, concurrency: null });
    await json('queues', 'resize', '--clear-rate-limit', '--group-concurrency', '2');
    expect(await client.queue('resize')).toMatchObject({
      paused: false,
      concurrency: null,
      rateLimit: null,
      groupConcurrency: 2,
    });
    await json('queues', 'resize', '--clear-group-concurrency');
    expect(await client.queue('resize')).toMatchObject({ groupConcurrency: null });
  });

  it('refuses bad settings with exit 2 and one line, and stores nothing', async () => {
    await refused([
      [['queues', '--pause'], /^shepherd queues: missing <type>/],
      [['queues', 'q1', '--pause', '--resume'], /--pause and --resume cannot be used together/],
      [
        ['queues', 'q1', '--concurrency', '2', '--clear-concurrency'],
        /--concurrency and --clear-concurrency cannot be used together/,
      ],
      [['queues', 'q1', '--concurrency', '0'], /--concurrency must be an integer from 1 to /],
      [['queues', 'q1', '--concurrency', 'many'], /--concurrency must be an integer/],
      [['queues', 'q1', '--rate-limit', '100'], /--rate-limit must be <max>\/<ms>, e.g. 100\/1000/],
      [['queues', 'q1', '--rate-limit', '0/1000'], /--rate-limit must be <max>\/<ms>/],
      [['queues', 'q1', '--concurrency'], /Option '--concurrency <value>' argument missing/],
      [['queues', 'q1', '--bogus'], /Unknown option '--bogus'/],
      [['queues', 'q1', 'q2'], /unexpected argument "q2"/],
      [['queues', 'bad type!'], /^shepherd queues: type must match /],
      [['queues', 'bad type!', '--pause'], /^shepherd queues: type must match /],
    ]);
    expect((await client.queues()).map((q) => q.type)).not.toContain('q1');
  });
});

describe('shepherd schedules', () => {
  it('adds an every-<ms> schedule with its task and options, and shows its next fire times', async () => {
    const added = await json(
      'schedules',
      'add',
      'beat',
      'echo',
      '{"n":1}',
      '--every',
      '60000',
      '--priority=-5',
      '--max-attempts',
      '2',
      '--missed',
      'once',
    );
    expect(added).toMatchObject({
      name: 'beat',
      every: 60000,
      missed: 'once',
      paused: false,
      task: { type: 'echo', payload: { n: 1 }, priority: -5, maxAttempts: 2 },
      createdAt: expect.stringMatching(ISO),
      lastTasks: [],
    });
    const stored = await client.schedule('beat');
    expect(stored).toMatchObject({
      every: 60000,
      missed: 'once',
      task: { type: 'echo', payload: { n: 1 }, priority: -5, maxAttempts: 2 },
    });

    const shown = await json<{ nextFireTimes: string[] }>('schedules', 'beat');
    expect(shown.nextFireTimes).toHaveLength(5);
    for (const t of shown.nextFireTimes) expect(t).toMatch(ISO);
    expect(shown.nextFireTimes).toEqual(stored.nextFireTimes.map((t) => new Date(t).toISOString()));
    expect(await json('schedules', 'show', 'beat')).toEqual(shown);
  });

  it('adds a cron schedule in a time zone, paused, with a null payload by default', async () => {
    const added = await json(
      'schedules',
      'add',
      'nightly',
      '--cron',
      '0 3 * * *',
      '--timezone',
      'Europe/Paris',
      'echo',
      '--paused',
    );
    expect(added).toMatchObject({ cron: '0 3 * * *', timezone: 'Europe/Paris', paused: true });
    expect(await client.schedule('nightly')).toMatchObject({
      cron: '0 3 * * *',
      timezone: 'Europe/Paris',
      paused: true,
      missed: 'skip',
      task: { type: 'echo', payload: null },
      nextFireTimes: [],
    });
  });

  it('lists as JSON lines, pauses, resumes and removes', async () => {
    await client.createSchedule({ name: 'listed-1', every: 1000, task: { type: 'echo' } });
    const names = (await jsonLines('schedules')).map((s) => s.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('listed-1');

    expect(await json('schedules', 'pause', 'listed-1')).toMatchObject({
      paused: true,
      nextFireTimes: [],
    });
    expect((await client.schedule('listed-1')).paused).toBe(true);
    expect(await json('schedules', 'resume', 'listed-1')).toMatchObject({ paused: false });
    expect((await client.schedule('listed-1')).paused).toBe(false);

    const removed = await cli('schedules', 'remove', 'listed-1');
    expect(removed).toEqual({ code: 0, out: '', err: '' });
    await expect(client.schedule('listed-1')).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('refuses bad command lines and what the library refuses with exit 2 and one line', async () => {
    await client.createSchedule({ name: 'taken', every: 1000, task: { type: 'echo' } });
    await refused([
      [['schedules', 'add'], /^shepherd schedules: missing <name>: shepherd schedules add <name>/],
      [['schedules', 'add', 's1', '--every', '1000'], /^shepherd schedules: missing <type>/],
      [['schedules', 'add', 's1', 'echo'], /give --cron <expr> or --every <ms>/],
      [
        ['schedules', 'add', 's1', 'echo', '--cron', '* * * * *', '--every', '1000'],
        /--cron and --every cannot be used together/,
      ],
      [['schedules', 'add', 's1', 'echo', '{bad', '--every', '1000'], /payload is not JSON/],
      [['schedules', 'add', 's1', 'echo', '1', '2', '--every', '1000'], /unexpected argument "2"/],
      [['schedules', 'add', 's1', 'echo', '--every', 'soon'], /--every must be a non-negative/],
      [['schedules', 'add', 's1', 'echo', '--every', '5'], /every must be an integer number of ms/],
      [['schedules', 'add', 's1', 'echo', '--cron', 'nope'], /invalid cron expression "nope"/],
      [
        ['schedules', 'add', 's1', 'echo', '--cron', '0 3 * * *', '--timezone', 'Mars/Base'],
        /unknown time zone "Mars\/Base"/,
      ],
      [['schedules', 'add', 's1', 'echo', '--every', '1000', '--missed', 'all'], /missed must be/],
      [['schedules', 'add', 's1', 'echo', '--every', '1000', '--priority', 'x'], /--priority must/],
      [['schedules', 'add', 'bad name!', 'echo', '--every', '1000'], /name must match /],
      [['schedules', 'add', 's1', 'bad type!', '--every', '1000'], /task: type must match/],
      [['schedules', 'add', 'taken', 'echo', '--every', '1000'], /schedule taken already exists/],
      [['schedules', 'add', 's1', 'echo', '--every', '1000', '--idempotency-key', 'k'], /Unknown/],
      [['schedules', 'missing'], /^shepherd schedules: schedule missing not found/],
      [['schedules', 'pause', 'missing'], /schedule missing not found/],
      [['schedules', 'remove', 'missing'], /schedule missing not found/],
      [['schedules', 'pause'], /missing <name>: shepherd schedules pause <name>/],
      [['schedules', 'pause', 'a', 'b'], /unexpected argument "b"/],
      [['schedules', 'taken', '--every', '1000'], /--every is for shepherd schedules add/],
      [['schedules', '--paused'], /--paused is for shepherd schedules add/],
    ]);
    expect((await client.schedules()).map((s) => s.name)).not.toContain('s1');
    expect((await client.schedule('taken')).every).toBe(1000);
  });

  it('shows both commands in shepherd --help and their usage in --help', async () => {
    const help = await cli('--help');
    for (const name of ['queues', 'schedules'])
      expect(COMMANDS.some((c) => c.name === name && help.out.includes(`  ${name}`))).toBe(true);
    expect((await cli('queues', '--help')).out).toContain('--rate-limit <max>/<ms>');
    const schedulesHelp = (await cli('schedules', '--help')).out;
    expect(schedulesHelp).toContain('shepherd schedules add <name> <type> [payload-json]');
    expect(schedulesHelp).toContain('--cron <expr>');
  });
});
