import { Module } from '@nestjs/common';
import { OpCode } from '@app/zk-protocol';

@Module({})
export class ShepherdModule {
  describe(): string {
    const ops = Object.keys(OpCode).filter((k) => Number.isNaN(Number(k))).length;
    return [
      'Shepherd: master-worker task queue coordinated the ZooKeeper way.',
      `Built so far: the ZooKeeper wire protocol (${ops} opcodes) and a TypeScript ZooKeeper client.`,
      'The coordinator, master, worker and client apps arrive in the next milestones.',
    ].join('\n');
  }
}
