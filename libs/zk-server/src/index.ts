export * from './txn/txn';
