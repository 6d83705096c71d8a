import { Inject, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { ZooKeeperModule, MASTER_OPTIONS, MasterModule } from '@shepherd/nestjs';
import { NestFactory } from '@nestjs/core';
import { Master, ROOTS } from '@shepherd/taskqueue';
import { TestCluster } from '../../taskqueue/test/master/support/cluster';
import { SettingsModule } from '../../../test/support/settings-module';
import { waitFor } from '../../../test/support/wait-for';

// MasterModule in a real Nest application context, with ZooKeeperModule.

const apps: INestApplicationContext[] = [];
// Declared before the cluster's hooks, so the apps close first.
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
});
const cluster = TestCluster.perTest();

const SETTINGS = 'SETTINGS';

/** A feature provider that injects the Master, as an application would. */
@Injectable()
class MasterProbe {
  constructor(@Inject(Master) readonly master: Master) {}
}

async function startApp(master: ReturnType<typeof MasterModule.forRoot>) {
  @Module({
    imports: [
      ZooKeeperModule.forRoot({
        connectString: cluster.connectString,
        sessionTimeoutMs: 5000,
        isGlobal: true,
      }),
      master,
    ],
    providers: [MasterProbe],
  })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  apps.push(app);
  return app;
}

describe('MasterModule', () => {
  it('forRoot: leads once the app has bootstrapped, assigns, and resigns on app.close()', async () => {
    const app = await startApp(
      MasterModule.forRoot({ id: 'nest-root', retention: { intervalMs: 3_600_000 } }),
    );
    const { master } = app.get(MasterProbe);
    expect(master.isLeader).toBe(true);
    expect(master.id).toBe('nest-root');
    expect(app.get(MASTER_OPTIONS)).toMatchObject({ id: 'nest-root' });
    expect(await cluster.electionNodeOf('nest-root')).toBeDefined();

    const w = await cluster.worker('w', { concurrency: 2 });
    await cluster.submit('echo', 2);
    await waitFor('assigned by the Nest master', async () => (await w.assignments()).length === 2);
    expect(master.stats()).toMatchObject({ isLeader: true, assigned: 2, workers: 1 });

    const backup = await cluster.master('backup');
    await backup.start();
    expect(backup.isLeader).toBe(false);
    await app.close();
    expect(master.isLeader).toBe(false);
    await waitFor('the backup leads', () => backup.isLeader);
    expect(await cluster.admin.getChildren(ROOTS.election)).toHaveLength(1);
  });

  it('forRootAsync: options from a factory with imports and inject', async () => {
    const app = await startApp(
      MasterModule.forRootAsync({
        imports: [SettingsModule.of(SETTINGS, { masterId: 'nest-async' })],
        inject: [SETTINGS],
        useFactory: (settings: { masterId: string }) => ({ id: settings.masterId }),
      }),
    );
    const { master } = app.get(MasterProbe);
    expect(master.isLeader).toBe(true);
    expect(master.id).toBe('nest-async');
    expect(await cluster.electionNodeOf('nest-async')).toBeDefined();
    await app.close();
    expect(await cluster.admin.getChildren(ROOTS.election)).toEqual([]);
  });
});
