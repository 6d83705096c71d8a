// Public surface of @app/app-kit: what the Shepherd apps share (configuration, logging,
// ZooKeeper connection settings).
export { ClientEnv, CommonEnv, ConfigError, MasterEnv, WorkerEnv, loadEnv } from './env';
export { PinoNestLogger, createLogger, type Logger } from './logger';
export { connectionOptions, ensureChroot, zkAcl, zkAuth } from './zookeeper-setup';
