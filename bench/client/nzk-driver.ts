import * as zookeeper from 'node-zookeeper-client';
import { BenchDriver } from './driver';

/**
 * node-zookeeper-client, the peer we measure against (a devDependency used only
 * here). Its callbacks are wrapped in Promises, as an application would use it.
 */
export class NodeZookeeperClientDriver implements BenchDriver {
  readonly name = 'node-zookeeper-client';
  private client!: zookeeper.Client;

  connect(connectString: string): Promise<void> {
    this.client = zookeeper.createClient(connectString, { sessionTimeout: 30000, retries: 0 });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('node-zookeeper-client: connect timeout')),
        15000,
      );
      this.client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.connect();
    });
  }

  create(path: string, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.create(path, data, (err) => (err ? reject(err) : resolve())),
    );
  }

  getData(path: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.getData(path, (err) => (err ? reject(err) : resolve())),
    );
  }

  setData(path: string, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.setData(path, data, -1, (err) => (err ? reject(err) : resolve())),
    );
  }

  getChildren(path: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.getChildren(path, (err) => (err ? reject(err) : resolve())),
    );
  }

  delete(path: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.remove(path, -1, (err) => (err ? reject(err) : resolve())),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.client.once('disconnected', () => resolve());
      this.client.close();
      setTimeout(resolve, 2000).unref();
    });
  }
}
