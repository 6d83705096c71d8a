import { Injectable } from '@nestjs/common';
import { TaskHandler } from '@shepherd/nestjs';
import { NonRetryableError, TaskContext } from '@shepherd/taskqueue';

export interface ThumbnailPayload {
  width: number;
  height: number;
}

/**
 * Handlers are methods of your own providers, found by @TaskHandler as @nestjs/bullmq finds
 * @Processor classes; they can inject whatever the application provides.
 */
@Injectable()
export class ImageHandlers {
  @TaskHandler('thumbnail')
  thumbnail(task: TaskContext): { width: number; height: number } {
    const { width, height } = task.payload as ThumbnailPayload;
    if (!(width > 0 && height > 0)) throw new NonRetryableError('width and height must be > 0');
    const scale = 128 / Math.max(width, height);
    task.progress({ done: 1 });
    return { width: Math.round(width * scale), height: Math.round(height * scale) };
  }
}
