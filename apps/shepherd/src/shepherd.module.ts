import { Module } from '@nestjs/common';
import { OpCode } from '@app/zk-protocol';

@Module({})
export class ShepherdModule {
  describe(): string {
    const ops = Object.keys(OpCode).filter((k) => Number.isNaN(Number(k))).length;
    return [
      'Shepherd: master-worker task queue coordinated the ZooKeeper way.',
      `Built so far: the ZooKeeper wire protocol (${ops} opcodes), a TypeScript ZooKeeper client,`,
      'and the embedded ZooKeeper-compatible coordinator: npm run coordinator -- --config zoo.cfg',
      'The master, worker and client apps arrive in the next milestones.',
    ].join('\n');
  }
}
