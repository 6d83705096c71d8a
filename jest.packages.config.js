// Package suite: `npm run test:packages`. Packs every workspace, installs the tarballs into
// projects outside the repo (npm registry for everything else) and runs the examples there.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/packages/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 600000,
};
