import { Module } from '@nestjs/common';
import {
  MasterModule,
  TaskQueueClientModule,
  WorkerModule,
  ZooKeeperModule,
} from '@shepherd/nestjs';
import { GalleryService } from './gallery.service';
import { ImageHandlers } from './image.handlers';

/**
 * One application holding all three roles, to keep the example small: in production the
 * master, the workers and the submitters are usually separate deployments, each importing
 * only its module.
 */
@Module({
  imports: [
    ZooKeeperModule.forRoot({
      connectString: process.env.ZK_CONNECT ?? '127.0.0.1:2181',
      sessionTimeoutMs: 5000,
      isGlobal: true,
    }),
    MasterModule.forRoot({ id: 'example-master' }),
    WorkerModule.forRoot({ id: 'example-worker', concurrency: 4 }),
    TaskQueueClientModule.forRoot({}),
  ],
  providers: [ImageHandlers, GalleryService],
})
export class AppModule {}
