// Interop suite: `npm run test:interop`. Starts Apache ZooKeeper (Debian's
// `zookeeper` package) on loopback ports, standalone and as a 3-server ensemble.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/interop/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
};
