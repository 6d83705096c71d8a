import 'reflect-metadata';
import { accessSync, constants } from 'fs';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidationError,
  getMetadataStorage,
  validateSync,
} from 'class-validator';

/** A bad environment: every problem at once, one per line, named by its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * What every Shepherd app reads: where the coordination service is and how to talk to it.
 * ZK_CONNECT is a ZooKeeper connect string; its chroot (default /shepherd) keeps Shepherd's
 * znodes apart from anything else on the ensemble.
 */
export class CommonEnv {
  @Transform(trim)
  @IsString()
  @Matches(/^[^,/\s]+(,[^,/\s]+)*(\/[^\s]*)?$/, {
    message: 'ZK_CONNECT must look like host:port[,host:port...][/chroot]',
  })
  ZK_CONNECT = '127.0.0.1:2181/shepherd';

  /** The failure-detection time: a dead process's tasks move after about this long. */
  @Type(() => Number)
  @IsInt({ message: 'ZK_SESSION_TIMEOUT_MS must be an integer (milliseconds)' })
  @Min(1000)
  @Max(600000)
  ZK_SESSION_TIMEOUT_MS = 5000;

  /** "user:password": digest auth on every connection, and digest ACLs on every znode created. */
  @IsOptional()
  @Matches(/^[^:\s]+:[^\s]+$/, { message: 'ZK_AUTH must be user:password' })
  ZK_AUTH?: string;

  /**
   * TLS to the coordination service (its secureClientPort) when any is set: PEM files of the
   * CA that signed the server's certificate, and this process's certificate and key (which the
   * server authenticates as x509). CERT and KEY go together.
   */
  @IsOptional()
  @IsString()
  ZK_TLS_CA?: string;

  @IsOptional()
  @IsString()
  ZK_TLS_CERT?: string;

  @IsOptional()
  @IsString()
  ZK_TLS_KEY?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

export class MasterEnv extends CommonEnv {
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'MASTER_ID must match [A-Za-z0-9._:-]{1,128}' })
  MASTER_ID?: string;
}

export class WorkerEnv extends CommonEnv {
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'WORKER_ID must match [A-Za-z0-9._:-]{1,128}' })
  WORKER_ID?: string;

  @Type(() => Number)
  @IsInt({ message: 'WORKER_CONCURRENCY must be an integer' })
  @Min(1)
  @Max(10000)
  WORKER_CONCURRENCY = 4;

  /** Tasks held beyond the concurrency, waiting for a slot; default concurrency / 4. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'WORKER_PREFETCH must be an integer' })
  @Min(0)
  @Max(10000)
  WORKER_PREFETCH?: number;

  /**
   * A module (path, or package name) whose exports are the handlers: functions keyed by task
   * type, as named exports or a default object. CommonJS or ESM.
   */
  @HandlerModuleSetting()
  WORKER_HANDLERS?: string;

  /** Serve the sample handlers (echo, sleep, sha256, fail, join); default: when there is no module. */
  @BooleanSetting('WORKER_SAMPLES')
  WORKER_SAMPLES?: boolean;

  /**
   * Store failed attempts' stack traces in the task records, where the REST API returns them
   * (default false: name and message only; the stack is in the worker's log either way).
   */
  @BooleanSetting('WORKER_ERROR_STACKS')
  WORKER_ERROR_STACKS?: boolean;
}

/** ZK_TLS_*: the certificate and its key both or neither, and every file readable. */
function tlsProblems(env: CommonEnv): string[] {
  const problems: string[] = [];
  if ((env.ZK_TLS_CERT === undefined) !== (env.ZK_TLS_KEY === undefined)) {
    problems.push('ZK_TLS_CERT and ZK_TLS_KEY go together: set both (PEM files) or neither');
  }
  for (const name of ['ZK_TLS_CA', 'ZK_TLS_CERT', 'ZK_TLS_KEY'] as const) {
    const file = env[name];
    if (file === undefined) continue;
    try {
      accessSync(file, constants.R_OK);
    } catch (err) {
      problems.push(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  return problems;
}

/** Several property decorators as one. */
function allOf(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** WORKER_HANDLERS' rule, the worker's and `shepherd up`'s (which hands it to its workers). */
export function HandlerModuleSetting(): PropertyDecorator {
  return allOf(IsOptional(), IsString());
}

/** An optional true/false setting: true, 1, yes / false, 0, no. */
export function BooleanSetting(name: string): PropertyDecorator {
  return allOf(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => parseBoolean(value)),
    IsBoolean({ message: `${name} must be true or false` }),
  );
}

/** "true"/"1"/"yes" and "false"/"0"/"no" (any case); anything else is left for the check. */
export function parseBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return value;
}

export class ClientEnv extends CommonEnv {
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** When set, every endpoint but /health wants `Authorization: Bearer <API_TOKEN>`. */
  @IsOptional()
  @IsString()
  @Matches(/^\S{8,}$/, { message: 'API_TOKEN must be at least 8 characters, no spaces' })
  API_TOKEN?: string;
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? m : `${e.property}: ${m}`,
    ),
  );
}

/**
 * Reads and checks the environment into `cls`, defaults included. Unknown variables are
 * ignored (the environment holds much else); empty ones count as unset.
 */
export function loadEnv<T extends object>(
  cls: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
  const plain: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && v !== '' && known.has(k)) plain[k] = v;
  }
  const config = plainToInstance(cls, plain, { exposeDefaultValues: true });
  const problems = flatten(validateSync(config, { forbidUnknownValues: false }));
  if (config instanceof CommonEnv) problems.push(...tlsProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
