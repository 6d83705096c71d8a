import { ConfigError, EXIT_INVALID_CONFIG, loadEnvOrExit } from '../src';

describe('loadEnvOrExit', () => {
  let stderr: jest.SpyInstance;
  let exit: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const bad = (): never => {
    throw new ConfigError(['PORT must be an integer']);
  };

  it('returns what the loader returns', () => {
    expect(loadEnvOrExit(() => ({ PORT: 1 }), 'client')).toEqual({ PORT: 1 });
    expect(exit).not.toHaveBeenCalled();
  });

  it('on a ConfigError: its message on stderr after the label, and exit 2', () => {
    expect(() => loadEnvOrExit(bad, 'master')).toThrow(`exit ${EXIT_INVALID_CONFIG}`);
    expect(stderr).toHaveBeenCalledWith(
      'master: invalid configuration:\n  - PORT must be an integer\n',
    );
    expect(exit).toHaveBeenCalledWith(2);
  });

  it('without a label, the message alone', () => {
    expect(() => loadEnvOrExit(bad)).toThrow('exit 2');
    expect(stderr).toHaveBeenCalledWith('invalid configuration:\n  - PORT must be an integer\n');
  });

  it('throws any other error as it is', () => {
    const boom = new Error('boom');
    expect(() =>
      loadEnvOrExit(() => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(exit).not.toHaveBeenCalled();
  });
});
