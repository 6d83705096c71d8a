import { ClientEnv, ConfigError, WorkerEnv, loadEnv } from '../src';

describe('loadEnv', () => {
  it('applies defaults and ignores unrelated variables', () => {
    const env = loadEnv(WorkerEnv, { PATH: '/bin', HOME: '/root' });
    expect(env).toMatchObject({
      ZK_CONNECT: '127.0.0.1:2181/shepherd',
      ZK_SESSION_TIMEOUT_MS: 5000,
      WORKER_CONCURRENCY: 4,
      LOG_LEVEL: 'info',
    });
    expect(env.WORKER_ID).toBeUndefined();
  });

  it('converts numbers and keeps strings', () => {
    const env = loadEnv(ClientEnv, {
      ZK_CONNECT: 'h1:2181,h2:2181,h3:2181/shepherd',
      PORT: '8080',
      API_TOKEN: 'secret-token',
      ZK_AUTH: 'shepherd:pw',
    });
    expect(env).toMatchObject({ PORT: 8080, API_TOKEN: 'secret-token', ZK_AUTH: 'shepherd:pw' });
  });

  it("reads the worker's handler module and WORKER_SAMPLES as a boolean", () => {
    const env = loadEnv(WorkerEnv, { WORKER_HANDLERS: './handlers.js', WORKER_SAMPLES: 'YES' });
    expect(env).toMatchObject({ WORKER_HANDLERS: './handlers.js', WORKER_SAMPLES: true });
    expect(loadEnv(WorkerEnv, { WORKER_SAMPLES: '0' }).WORKER_SAMPLES).toBe(false);
    expect(() => loadEnv(WorkerEnv, { WORKER_SAMPLES: 'maybe' })).toThrow(
      /WORKER_SAMPLES must be true or false/,
    );
  });

  it('reads WORKER_ERROR_STACKS as a boolean, unset by default', () => {
    expect(loadEnv(WorkerEnv, {}).WORKER_ERROR_STACKS).toBeUndefined();
    expect(loadEnv(WorkerEnv, { WORKER_ERROR_STACKS: 'true' }).WORKER_ERROR_STACKS).toBe(true);
    expect(loadEnv(WorkerEnv, { WORKER_ERROR_STACKS: 'no' }).WORKER_ERROR_STACKS).toBe(false);
    expect(() => loadEnv(WorkerEnv, { WORKER_ERROR_STACKS: 'on' })).toThrow(
      /WORKER_ERROR_STACKS must be true or false/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadEnv(ClientEnv, { PORT: '', API_TOKEN: '' })).toMatchObject({ PORT: 3000 });
  });

  it('reports every problem at once, by variable', () => {
    let error: unknown;
    try {
      loadEnv(WorkerEnv, {
        ZK_CONNECT: 'not a connect string',
        ZK_SESSION_TIMEOUT_MS: 'soon',
        WORKER_CONCURRENCY: '0',
        WORKER_ID: 'bad id!',
        ZK_AUTH: 'nopassword',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'ZK_CONNECT',
      'ZK_SESSION_TIMEOUT_MS',
      'WORKER_CONCURRENCY',
      'WORKER_ID',
      'ZK_AUTH',
    ])
      expect(problems).toContain(name);
  });
});
