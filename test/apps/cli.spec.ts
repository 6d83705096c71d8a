import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ZkServer } from '@shepherd/zk-server';
import { ConfigError, WorkerEnv, createLogger, loadEnv } from '../../apps/app-kit/src';
import { applyFlagsToEnv, parseCommandLine } from '../../apps/cli/src/command';
import { COMMANDS } from '../../apps/cli/src/commands';
import { parsePayload, submitOptions } from '../../apps/cli/src/commands/submit';
import { workerCommand } from '../../apps/cli/src/commands/worker';
import { captureCli } from './support/captured-cli';
import { UsageError } from '../../apps/cli/src/usage-error';
import { handlersOf, isEsm, loadHandlerModule } from '../../apps/worker/src/handler-module';
import { workerOptions } from '../../apps/worker/src/worker-app.module';
import { AppProcess } from './support/app-process';

const cli = captureCli;

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder of handler modules written for one test (removed after the file's tests). */
function moduleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-handlers-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function configError(work: Promise<unknown>): Promise<string> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).message;
}

describe('the shepherd command line', () => {
  it('prints the commands for --help, help and no arguments, and the version', async () => {
    for (const argv of [[], ['--help'], ['help']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      for (const c of COMMANDS) expect(r.out).toContain(`  ${c.name}`);
    }
    expect((await cli('--version')).out).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await cli('help', 'submit')).out).toMatch(/^Usage: shepherd submit <type>/);
  });

  it('answers an unknown command with exit 2 and the command list', async () => {
    const r = await cli('deploy');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^shepherd: unknown command "deploy"/);
    expect(r.err).toContain('Commands:');
  });

  it('gives every command --help with each flag and the variable it sets', async () => {
    for (const c of COMMANDS) {
      const r = await cli(c.name, '--help');
      expect(r.code).toBe(0);
      expect(r.out.startsWith(`Usage: ${c.synopsis}`)).toBe(true);
      for (const f of c.flags) {
        expect(r.out).toContain(`--${f.name}`);
        if (f.env) expect(r.out).toContain(`[${f.env}]`);
      }
    }
    expect((await cli('worker', '--help')).out).toContain('--handlers <module>');
    expect((await cli('coordinator', '--help')).out).toContain('--clientPort <port>');
  });

  it('refuses unknown flags, missing values and extra arguments with exit 2 and one line', async () => {
    const cases: [string[], RegExp][] = [
      [['worker', '--bogus'], /^shepherd worker: Unknown option '--bogus'\n/],
      [
        ['worker', '--handlers'],
        /^shepherd worker: Option '--handlers <value>' argument missing\n/,
      ],
      [
        ['master', 'extra'],
        /^shepherd master: unexpected argument "extra" \(this command takes flags only\)\n/,
      ],
      [['submit'], /^shepherd submit: missing <type>/],
      [['submit', 'echo', '{bad'], /^shepherd submit: payload is not JSON: /],
      [['submit', 'echo', '1', '2'], /^shepherd submit: unexpected argument "2"/],
      [
        ['submit', 'echo', '--max-attempts', 'many'],
        /--max-attempts must be a non-negative integer/,
      ],
      [
        ['submit', 'echo', '--priority', 'high'],
        /--priority must be an integer from -1000 to 1000 \(got "high"\)/,
      ],
      [
        ['submit', 'echo', '--priority', '1001'],
        /--priority must be an integer from -1000 to 1000/,
      ],
      [['submit', 'echo', '--priority=-1001'], /--priority must be an integer from -1000 to 1000/],
      [['submit', 'echo', '--priority', '1.5'], /--priority must be an integer from -1000 to 1000/],
      [['submit', 'echo', '--priority', ''], /--priority must be an integer from -1000 to 1000/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.err).toMatch(message);
      expect(r.err).toContain(`Run shepherd ${argv[0]} --help for usage.`);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('wants --handlers or --samples from a worker', async () => {
    const saved = { ...process.env };
    delete process.env.WORKER_HANDLERS;
    delete process.env.WORKER_SAMPLES;
    try {
      const r = await cli('worker');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/no handlers: give --handlers <module>, or --samples/);
    } finally {
      process.env = saved;
    }
  });

  it('lets flags win over the environment, and leaves what no flag names alone', () => {
    const env: NodeJS.ProcessEnv = {
      ZK_CONNECT: 'env:2181',
      WORKER_ID: 'from-env',
      LOG_LEVEL: 'warn',
    };
    const input = parseCommandLine(workerCommand, [
      '--zk-connect=flag:2181/x',
      '--samples',
      '--concurrency',
      '8',
    ]);
    applyFlagsToEnv(workerCommand, input.flags, env);
    expect(env).toEqual({
      ZK_CONNECT: 'flag:2181/x',
      WORKER_ID: 'from-env',
      LOG_LEVEL: 'warn',
      WORKER_SAMPLES: 'true',
      WORKER_CONCURRENCY: '8',
    });
  });

  it('turns on stored error stacks with --error-stacks or WORKER_ERROR_STACKS; off by default', () => {
    const logger = createLogger('test', 'silent');
    const stacksOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      applyFlagsToEnv(workerCommand, parseCommandLine(workerCommand, argv).flags, env);
      return workerOptions(loadEnv(WorkerEnv, env), logger).storeErrorStacks;
    };
    expect(stacksOf(['--samples'])).toBe(false);
    expect(stacksOf(['--samples', '--error-stacks'])).toBe(true);
    expect(stacksOf(['--samples'], { WORKER_ERROR_STACKS: 'yes' })).toBe(true);
    expect(stacksOf(['--samples'], { WORKER_ERROR_STACKS: 'false' })).toBe(false);
    expect(() => stacksOf([], { WORKER_ERROR_STACKS: 'sometimes' })).toThrow(
      /WORKER_ERROR_STACKS must be true or false/,
    );
  });

  it('reads the task options and the payload of submit', () => {
    const { flags } = parseCommandLine(
      COMMANDS.find((c) => c.name === 'submit')!,
      [
        'echo',
        '--max-attempts',
        '5',
        '--timeout-ms',
        '1000',
        '--delay-ms',
        '0',
        '--idempotency-key',
        'k1',
      ],
    );
    expect(submitOptions(flags)).toEqual({
      maxAttempts: 5,
      timeoutMs: 1000,
      delayMs: 0,
      idempotencyKey: 'k1',
    });
    const submit = COMMANDS.find((c) => c.name === 'submit')!;
    const priorityOf = (...argv: string[]) =>
      submitOptions(parseCommandLine(submit, ['echo', ...argv]).flags).priority;
    expect(priorityOf()).toBeUndefined();
    expect(priorityOf('--priority', '10')).toBe(10);
    expect(priorityOf('--priority=-5')).toBe(-5);
    expect(priorityOf('--priority', '+1000')).toBe(1000);
    expect(priorityOf('--priority=-1000')).toBe(-1000);
    expect(priorityOf('--priority=-0')).toBe(0);
    expect(
      submitOptions(parseCommandLine(submit, ['echo', '--group', 'tenant-7']).flags).group,
    ).toBe('tenant-7');
    expect(() => priorityOf('--priority', '1e3')).toThrow(UsageError);
    // A negative value after a space reads as a flag: parseArgs refuses it, with a UsageError.
    expect(() => priorityOf('--priority', '-5')).toThrow(UsageError);
    expect(parsePayload(undefined)).toBeNull();
    expect(parsePayload('{"a":[1]}')).toEqual({ a: [1] });
    expect(() => parsePayload('nope')).toThrow(UsageError);
  });
});

describe('handler modules', () => {
  it('take named CommonJS exports, module.exports objects and compiled default exports', async () => {
    const dir = moduleDir({
      'named.js': 'exports.resize = async () => 1;\nexports.notAHandler = 42;\n',
      'object.js': 'module.exports = { shout: (t) => t.payload, whisper: () => "" };\n',
      'compiled.js':
        'Object.defineProperty(exports, "__esModule", { value: true });\n' +
        'exports.default = { thumb: () => 1 };\nexports.crop = () => 2;\n',
    });
    expect(Object.keys(await loadHandlerModule(join(dir, 'named.js')))).toEqual(['resize']);
    expect(Object.keys(await loadHandlerModule('./object.js', dir)).sort()).toEqual([
      'shout',
      'whisper',
    ]);
    expect(Object.keys(await loadHandlerModule(join(dir, 'compiled.js'))).sort()).toEqual([
      'crop',
      'thumb',
    ]);
  });

  it('resolve a package name from the current directory', async () => {
    const dir = moduleDir({
      'node_modules/acme-jobs/package.json': '{"name":"acme-jobs","main":"jobs.js"}',
      'node_modules/acme-jobs/jobs.js': 'exports.invoice = () => "ok";\n',
    });
    expect(Object.keys(await loadHandlerModule('acme-jobs', dir))).toEqual(['invoice']);
  });

  it('say what is wrong, in one line, for a module that is missing, broken or has no handler', async () => {
    const dir = moduleDir({
      'broken.js': 'exports.a = () => {;\n',
      'throws.js': 'throw new Error("no database configured");\n',
      'empty.js': 'exports.version = "1.0";\n',
      'bad-name.js': 'exports["no spaces allowed"] = () => 1;\n',
      'single.js': 'module.exports = () => 1;\n',
    });
    expect(await configError(loadHandlerModule('./missing.js', dir))).toMatch(
      /handler module \.\/missing\.js not found/,
    );
    expect(await configError(loadHandlerModule('no-such-package', dir))).toMatch(
      /handler module no-such-package not found/,
    );
    expect(await configError(loadHandlerModule('./broken.js', dir))).toMatch(
      /handler module \.\/broken\.js failed to load: /,
    );
    expect(await configError(loadHandlerModule('./throws.js', dir))).toMatch(
      /failed to load: no database configured/,
    );
    expect(await configError(loadHandlerModule('./empty.js', dir))).toMatch(
      /\.\/empty\.js exports no handler/,
    );
    expect(await configError(loadHandlerModule('./bad-name.js', dir))).toMatch(
      /export "no spaces allowed" is not a task type/,
    );
    expect(await configError(loadHandlerModule('./single.js', dir))).toMatch(/exports no handler/);
  });

  it('refuse one type given twice with two different functions', () => {
    const a = (): number => 1;
    expect(() => handlersOf({ a, default: { a } }, 'm')).not.toThrow();
    expect(() => handlersOf({ a, default: { a: () => 2 } }, 'm')).toThrow(/"a" is exported twice/);
  });

  it('tell ES modules from CommonJS as Node does', () => {
    const dir = moduleDir({
      'esm/package.json': '{"type":"module"}',
      'esm/h.js': '',
      'cjs/package.json': '{"type":"commonjs"}',
      'cjs/h.js': '',
    });
    expect(isEsm(join(dir, 'x.mjs'))).toBe(true);
    expect(isEsm(join(dir, 'x.cjs'))).toBe(false);
    expect(isEsm(join(dir, 'esm', 'h.js'))).toBe(true);
    expect(isEsm(join(dir, 'cjs', 'h.js'))).toBe(false);
  });
});

describe('shepherd worker as a process', () => {
  let server: ZkServer;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    server = new ZkServer({ port: 0 });
    await server.start();
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await server.stop();
  });

  function shepherd(...args: string[]): AppProcess {
    const p = new AppProcess('cli', { ZK_CONNECT: `${server.connectString}/cli-test` }, { args });
    processes.push(p);
    return p;
  }

  it("runs an ES module's handlers (named exports and a default object)", async () => {
    const dir = moduleDir({
      'handlers.mjs':
        'await Promise.resolve();\n' +
        'export async function resize(task) { return task.payload; }\n' +
        'export default { shout: (task) => String(task.payload).toUpperCase() };\n',
    });
    const worker = shepherd(
      'worker',
      '--handlers',
      join(dir, 'handlers.mjs'),
      '--id',
      'esm-worker',
    );
    const started = await worker.waitForLog('worker started', 60_000);
    expect(started.types).toEqual(['resize', 'shout']);
  }, 90_000);

  it('stops with exit 2 and one line when the module exports no handler, before connecting', async () => {
    const dir = moduleDir({ 'nothing.mjs': 'export const version = 1;\n' });
    const worker = new AppProcess(
      'cli',
      { ZK_CONNECT: '127.0.0.1:1' },
      { args: ['worker', '--handlers', join(dir, 'nothing.mjs')] },
    );
    processes.push(worker);
    const exit = await worker.exited;
    expect(exit.code).toBe(2);
    expect(worker.stderr).toMatch(/nothing\.mjs exports no handler/);
    expect(worker.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
