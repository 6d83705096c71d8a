/** The five operations the client benchmark times, behind one shape per client library. */
export interface BenchDriver {
  readonly name: string;
  connect(connectString: string): Promise<void>;
  create(path: string, data: Buffer): Promise<void>;
  getData(path: string): Promise<void>;
  setData(path: string, data: Buffer): Promise<void>;
  getChildren(path: string): Promise<void>;
  delete(path: string): Promise<void>;
  close(): Promise<void>;
}

export type BenchOp = 'create' | 'getData' | 'setData' | 'getChildren' | 'delete';
export const BENCH_OPS: readonly BenchOp[] = [
  'create',
  'getData',
  'setData',
  'getChildren',
  'delete',
];
