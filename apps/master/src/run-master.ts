import { MasterEnv, runApp } from '../../app-kit/src';
import { MasterAppModule, masterId } from './master-app.module';

/**
 * One master candidate as this process (`shepherd master`). Config from the environment
 * (ZK_CONNECT, ZK_SESSION_TIMEOUT_MS, ZK_AUTH, MASTER_ID, LOG_LEVEL). SIGTERM or SIGINT: resign
 * (a backup takes over at once), close the session, exit 0.
 */
export function runMaster(): void {
  runApp({
    name: 'master',
    env: MasterEnv,
    module: (env, logger) => MasterAppModule.forEnv(env, logger),
    started: (_app, env) => ({ master: masterId(env) }),
  });
}
