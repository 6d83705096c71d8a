import { Injectable } from '@nestjs/common';
import { TaskQueueClient, TaskView } from '@shepherd/taskqueue';

/** Submits work from anywhere in the application through the injected client. */
@Injectable()
export class GalleryService {
  constructor(private readonly tasks: TaskQueueClient) {}

  /** One thumbnail task per image; resolves with the finished tasks. */
  async thumbnails(images: { width: number; height: number }[]): Promise<TaskView[]> {
    const submitted = await this.tasks.submitMany(
      images.map((payload) => ({ type: 'thumbnail', payload })),
    );
    return Promise.all(submitted.map((task) => this.tasks.wait(task.id, 60_000)));
  }
}
