import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';
import { DashboardFiles, defaultDashboardDir } from './dashboard-files';

/**
 * Serves the live dashboard (apps/client/dashboard, built into dist/dashboard) at GET / and
 * /assets/*. Without a build, GET / answers 503 saying how to make one. Tests point it
 * elsewhere by overriding the DashboardFiles provider.
 */
@Module({
  controllers: [DashboardController],
  providers: [
    { provide: DashboardFiles, useFactory: () => new DashboardFiles(defaultDashboardDir()) },
  ],
})
export class DashboardModule {}
