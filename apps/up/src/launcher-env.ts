import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BooleanSetting, ConfigError, HandlerModuleSetting, loadEnv } from '../../app-kit/src';

/**
 * What `shepherd up` (and `npm start`) reads from the environment. LOG_LEVEL, API_TOKEN, ZK_AUTH and
 * ZK_SESSION_TIMEOUT_MS are passed on to every app (which check them again); the rule for each
 * is the apps' own, so a bad value is reported here, before anything starts.
 */
export class LauncherEnv {
  /** The client app's HTTP port: REST API, dashboard, /docs. */
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(1, { message: 'PORT must be between 1 and 65535' })
  @Max(65535, { message: 'PORT must be between 1 and 65535' })
  PORT = 3000;

  /** The embedded coordinator's client port. */
  @Type(() => Number)
  @IsInt({ message: 'ZK_PORT must be an integer' })
  @Min(1, { message: 'ZK_PORT must be between 1 and 65535' })
  @Max(65535, { message: 'ZK_PORT must be between 1 and 65535' })
  ZK_PORT = 2181;

  @Type(() => Number)
  @IsInt({ message: 'MASTERS must be an integer' })
  @Min(1, { message: 'MASTERS must be between 1 and 16' })
  @Max(16, { message: 'MASTERS must be between 1 and 16' })
  MASTERS = 2;

  @Type(() => Number)
  @IsInt({ message: 'WORKERS must be an integer' })
  @Min(0, { message: 'WORKERS must be between 0 and 64' })
  @Max(64, { message: 'WORKERS must be between 0 and 64' })
  WORKERS = 3;

  /** The coordinator's snapshots and txn log, relative to the current directory. */
  @IsString()
  DATA_DIR = './data';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsOptional()
  @Matches(/^\S{8,}$/, { message: 'API_TOKEN must be at least 8 characters, no spaces' })
  API_TOKEN?: string;

  @IsOptional()
  @Matches(/^[^:\s]+:[^\s]+$/, { message: 'ZK_AUTH must be user:password' })
  ZK_AUTH?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ZK_SESSION_TIMEOUT_MS must be an integer (milliseconds)' })
  @Min(1000)
  @Max(600000)
  ZK_SESSION_TIMEOUT_MS?: number;

  /** The workers' handler module (see WorkerEnv); the samples run when it is unset. */
  @HandlerModuleSetting()
  WORKER_HANDLERS?: string;

  @BooleanSetting('WORKER_SAMPLES')
  WORKER_SAMPLES?: boolean;

  /** The whole cluster over TLS, with a throwaway CA generated at start (`--tls`). */
  @BooleanSetting('ZK_TLS')
  ZK_TLS?: boolean;

  /**
   * Every app exports traces and metrics over OTLP (`--otel`): to OTEL_EXPORTER_OTLP_ENDPOINT,
   * or to a collector on this machine (DEFAULT_OTLP_ENDPOINT) when that is unset.
   */
  @BooleanSetting('SHEPHERD_OTEL')
  SHEPHERD_OTEL?: boolean;
}

/** The OTLP/HTTP port of a collector (or Jaeger, or Grafana's LGTM image) on this machine. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/** The launcher's environment, checked in full; ConfigError lists every problem. */
export function loadLauncherEnv(env: NodeJS.ProcessEnv = process.env): LauncherEnv {
  const config = loadEnv(LauncherEnv, env);
  if (config.PORT === config.ZK_PORT)
    throw new ConfigError([`PORT and ZK_PORT must differ (both are ${config.PORT})`]);
  return config;
}
