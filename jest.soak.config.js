/** `npm run soak -- --minutes 10`: the soak test, alone, against the run's own database and topics. Not in CI. */
module.exports = {
  ...require('./jest.base.config'),
  displayName: 'soak',
  testMatch: ['<rootDir>/test/soak/**/*.soak-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 4 * 3600 * 1000,
};
