import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { GalleryService } from './gallery.service';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const tasks = await app.get(GalleryService).thumbnails([
    { width: 1920, height: 1080 },
    { width: 800, height: 1200 },
  ]);
  for (const task of tasks) console.log(`${task.id}: ${task.state} ${JSON.stringify(task.result)}`);
  // Closing drains the worker, resigns the master and closes the session.
  await app.close();
  process.exit(tasks.every((t) => t.state === 'done') ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
