// Browser suite: `npm run test:browser`. Drives the dashboard in headless Chromium (Debian's
// `chromium` package, through playwright-core) against real processes; it fails, never skips,
// when Chromium is missing. Also holds the unit tests of the dashboard's browser-side logic.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    // The dashboard's modules import each other as the browser loads them: `./wire.js`.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 180000,
};
