import { AppProcess } from './support/app-process';

// Each app checks its whole environment before it connects anywhere: a bad value ends it with
// exit code 2 and one line per problem on stderr, named by its variable.
jest.setTimeout(120_000);

async function runWith(app: string, env: NodeJS.ProcessEnv) {
  const proc = new AppProcess(app, env);
  const exit = await proc.exited;
  return { exit, stderr: proc.stderr, logs: proc.logs };
}

describe('environment validation', () => {
  it('master: a bad ZK_CONNECT and MASTER_ID exit 2 with both messages', async () => {
    const { exit, stderr, logs } = await runWith('master', {
      ZK_CONNECT: 'not a connect string',
      MASTER_ID: 'bad id!',
    });
    expect(exit).toEqual({ code: 2, signal: null });
    expect(stderr).toContain('invalid configuration');
    expect(stderr).toContain('ZK_CONNECT must look like host:port[,host:port...][/chroot]');
    expect(stderr).toContain('MASTER_ID must match');
    expect(logs).toEqual([]);
  });

  it('worker: a bad WORKER_CONCURRENCY, ZK_SESSION_TIMEOUT_MS and LOG_LEVEL exit 2', async () => {
    const { exit, stderr } = await runWith('worker', {
      WORKER_CONCURRENCY: 'lots',
      ZK_SESSION_TIMEOUT_MS: '10',
      LOG_LEVEL: 'chatty',
      ZK_AUTH: 'no-password',
    });
    expect(exit).toEqual({ code: 2, signal: null });
    expect(stderr).toContain('WORKER_CONCURRENCY must be an integer');
    expect(stderr).toContain('ZK_SESSION_TIMEOUT_MS must not be less than 1000');
    expect(stderr).toContain('LOG_LEVEL');
    expect(stderr).toContain('ZK_AUTH must be user:password');
  });

  it('client: a TLS certificate without its key, and an unreadable CA, exit 2', async () => {
    const { exit, stderr } = await runWith('client', {
      ZK_TLS_CA: '/nonexistent/ca.pem',
      ZK_TLS_CERT: __filename,
    });
    expect(exit).toEqual({ code: 2, signal: null });
    expect(stderr).toContain('ZK_TLS_CERT and ZK_TLS_KEY go together');
    expect(stderr).toContain('ZK_TLS_CA: cannot read /nonexistent/ca.pem (ENOENT)');
  });

  it('shepherd up: bad PORT, ZK_PORT, MASTERS and WORKERS exit 2 before anything starts', async () => {
    const { exit, stderr } = await runWith('up', {
      PORT: '70000',
      ZK_PORT: 'two',
      MASTERS: '0',
      WORKERS: '1.5',
    });
    expect(exit).toEqual({ code: 2, signal: null });
    expect(stderr).toContain('PORT must be between 1 and 65535');
    expect(stderr).toContain('ZK_PORT must be an integer');
    expect(stderr).toContain('MASTERS must be between 1 and 16');
    expect(stderr).toContain('WORKERS must be an integer');
  });

  it('shepherd up: the same port for PORT and ZK_PORT exits 2', async () => {
    const { exit, stderr } = await runWith('up', { PORT: '4000', ZK_PORT: '4000' });
    expect(exit).toEqual({ code: 2, signal: null });
    expect(stderr).toContain('PORT and ZK_PORT must differ (both are 4000)');
  });
});
