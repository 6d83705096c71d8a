import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ShepherdModule } from './shepherd.module';

// Placeholder entry for `npm start` until the coordinator, master, worker and
// client apps exist (later issues): boots Nest, reports what is built, exits.
async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(ShepherdModule, { logger: ['error'] });
  const info = app.get(ShepherdModule).describe();
  process.stdout.write(`${info}\n`);
  await app.close();
}

void bootstrap();
