import { ConfigError } from '../../apps/app-kit/src';
import { banner, shellQuote, submitCommand } from '../../apps/up/src/banner';
import { loadLauncherEnv } from '../../apps/up/src/launcher-env';
import { formatPinoLine, isNoise, parsePinoLine } from '../../apps/up/src/log-format';

describe('the launcher environment', () => {
  it('defaults to 2 masters, 3 workers, ports 3000 and 2181, data in ./data', () => {
    expect(loadLauncherEnv({})).toMatchObject({
      PORT: 3000,
      ZK_PORT: 2181,
      MASTERS: 2,
      WORKERS: 3,
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
    });
  });

  it('reads the counts, the ports and the settings passed on to the apps', () => {
    const env = loadLauncherEnv({
      PORT: '8080',
      ZK_PORT: '12345',
      MASTERS: '1',
      WORKERS: '0',
      API_TOKEN: 'a-long-token',
      ZK_AUTH: 'user:pw',
      ZK_SESSION_TIMEOUT_MS: '3000',
      LOG_LEVEL: 'debug',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      ZK_PORT: 12345,
      MASTERS: 1,
      WORKERS: 0,
      API_TOKEN: 'a-long-token',
      ZK_AUTH: 'user:pw',
      ZK_SESSION_TIMEOUT_MS: 3000,
      LOG_LEVEL: 'debug',
    });
  });

  it('lists every bad value at once', () => {
    let error: unknown;
    try {
      loadLauncherEnv({
        PORT: '0',
        ZK_PORT: 'x',
        MASTERS: '17',
        WORKERS: '-1',
        API_TOKEN: 'short',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        'PORT must be between 1 and 65535',
        'ZK_PORT must be an integer',
        'MASTERS must be between 1 and 16',
        'WORKERS must be between 0 and 64',
        'API_TOKEN must be at least 8 characters, no spaces',
      ]),
    );
  });
});

describe('compact log lines', () => {
  it('parses pino JSON lines and nothing else', () => {
    expect(parsePinoLine('{"level":30,"msg":"hi"}')).toEqual({ level: 30, msg: 'hi' });
    expect(parsePinoLine('Error: boom')).toBeUndefined();
    expect(parsePinoLine('{"no":"level"}')).toBeUndefined();
    expect(parsePinoLine('{broken')).toBeUndefined();
  });

  it('shows level, context, message and the fields, without the ones every line has', () => {
    const line = {
      level: 30,
      time: 1,
      pid: 42,
      hostname: 'h',
      name: 'worker',
      component: 'worker',
      msg: 'task outcome stored',
      taskId: 'task-1',
      state: 'done',
      types: ['echo', 'sleep'],
      note: 'two words',
    };
    expect(formatPinoLine(line)).toBe(
      'info  task outcome stored taskId=task-1 state=done types=["echo","sleep"] note="two words"',
    );
    expect(formatPinoLine({ level: 40, context: 'Boot', msg: 'slow' })).toBe('warn  [Boot] slow');
  });

  it('cuts long values on info lines but keeps errors whole, with their stack', () => {
    const long = 'x'.repeat(500);
    const cut = formatPinoLine({ level: 30, msg: 'm', config: { long } });
    expect(cut).toBe(`info  m config={"long":"${'x'.repeat(110)}…`);
    const text = formatPinoLine({
      level: 50,
      msg: 'failed',
      err: { type: 'Error', message: long, stack: 'Error: boom\n    at here' },
    });
    expect(text).toContain(`err="${long}"`);
    expect(text.split('\n')).toEqual([expect.any(String), '    Error: boom', '        at here']);
  });

  it("drops Nest's bootstrap chatter, but never a warning", () => {
    expect(
      isNoise({ level: 30, context: 'InstanceLoader', msg: 'X dependencies initialized' }),
    ).toBe(true);
    expect(isNoise({ level: 40, context: 'InstanceLoader', msg: 'careful' })).toBe(false);
    expect(isNoise({ level: 30, context: 'NestApplication', msg: 'started' })).toBe(false);
    expect(isNoise({ level: 30, msg: 'worker started' })).toBe(false);
  });
});

describe('the start banner', () => {
  it('quotes shell words only when needed', () => {
    expect(shellQuote('http://localhost:3000/tasks')).toBe('http://localhost:3000/tasks');
    expect(shellQuote('{"a":1}')).toBe(`'{"a":1}'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('gives a one-line curl, with the bearer token when the API wants one', () => {
    const plain = submitCommand('http://localhost:3000');
    expect(plain).toBe(
      `curl -X POST http://localhost:3000/tasks -H 'Content-Type: application/json' ` +
        `-d '{"type":"sha256","payload":{"data":"hello","rounds":1000000}}'`,
    );
    expect(submitCommand('http://localhost:3000', 'secret-token')).toContain(
      `-H 'Authorization: Bearer secret-token' -d `,
    );
  });

  it('names the dashboard, the API docs and the curl line', () => {
    const text = banner({
      addresses: { zkConnect: '127.0.0.1:2181/shepherd', baseUrl: 'http://localhost:3000' },
      masters: 2,
      workers: 3,
    });
    expect(text).toContain(
      'Shepherd is up: the coordinator, 2 masters, 3 workers, the client app.',
    );
    expect(text).toContain('Dashboard      http://localhost:3000/\n');
    expect(text).toContain('API docs       http://localhost:3000/docs\n');
    expect(text).toContain('Submit a task  curl -X POST http://localhost:3000/tasks');
    expect(text).toContain('ZK_CONNECT=127.0.0.1:2181/shepherd npx shepherd worker --samples');
  });

  it("points at the user's handlers: the next worker runs the module, the curl line one of its types", () => {
    const text = banner({
      addresses: { zkConnect: '127.0.0.1:2181/shepherd', baseUrl: 'http://localhost:3000' },
      masters: 1,
      workers: 1,
      handlers: '/srv/app/handlers.js',
      handlerTypes: ['resize', 'thumbnail'],
    });
    expect(text).toContain(`-d '{"type":"resize","payload":null}'`);
    expect(text).toContain(
      'More workers   ZK_CONNECT=127.0.0.1:2181/shepherd npx shepherd worker --handlers /srv/app/handlers.js',
    );
  });

  it('gives another worker the ZooKeeper credentials when the cluster uses ZK_AUTH', () => {
    const text = banner({
      addresses: { zkConnect: '127.0.0.1:2181/shepherd' },
      masters: 1,
      workers: 0,
      zkAuth: 'shepherd:pw',
    });
    expect(text).toContain('Shepherd is up: the coordinator, 1 master, 0 workers.');
    expect(text).toContain('The client app is not built');
    expect(text).toContain(
      'More workers   ZK_CONNECT=127.0.0.1:2181/shepherd ZK_AUTH=shepherd:pw npx shepherd worker --samples',
    );
  });
});
