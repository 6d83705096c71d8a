import { ZooKeeperClient } from '@shepherd/zk-client';
import { BenchDriver } from './driver';

/** Shepherd's own client (`@shepherd/zk-client`). */
export class ShepherdDriver implements BenchDriver {
  readonly name = 'shepherd zk-client';
  private client!: ZooKeeperClient;

  async connect(connectString: string): Promise<void> {
    this.client = new ZooKeeperClient(connectString, { sessionTimeout: 30000 });
    await this.client.connect();
  }

  async create(path: string, data: Buffer): Promise<void> {
    await this.client.create(path, data);
  }

  async getData(path: string): Promise<void> {
    await this.client.getData(path);
  }

  async setData(path: string, data: Buffer): Promise<void> {
    await this.client.setData(path, data);
  }

  async getChildren(path: string): Promise<void> {
    await this.client.getChildren(path);
  }

  async delete(path: string): Promise<void> {
    await this.client.delete(path);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
