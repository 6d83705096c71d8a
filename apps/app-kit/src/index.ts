// What the Shepherd apps of @shepherd/cli share (configuration, logging,
// ZooKeeper connection settings, the start of an app without HTTP).
export {
  ClientEnv,
  CommonEnv,
  ConfigError,
  MasterEnv,
  WorkerEnv,
  loadEnv,
  parseBoolean,
  BooleanSetting,
  HandlerModuleSetting,
} from './env';
export { PinoNestLogger, createLogger, type Logger } from './logger';
export { connectionOptions, ensureChroot, zkAcl, zkAuth, zkTls } from './zookeeper-setup';
export { APP_LOGGER, AppConfigModule, appCoreModules } from './app-config.module';
export { EXIT_FAILURE, EXIT_INVALID_CONFIG, type AppSpec, loadEnvOrExit, runApp } from './run-app';
export {
  startTelemetry,
  stopTelemetry,
  telemetryShutdownProvider,
  type Telemetry,
} from './telemetry';
