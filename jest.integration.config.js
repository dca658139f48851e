module.exports = {
  ...require('./jest.base.config'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs}/**/*.integration-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // The last guard against a hung CI: whatever a failed test leaked (a socket, a timer) cannot keep jest
  // running after the summary. Leaks are still fixed where found; this only bounds the damage.
  forceExit: true,
  testTimeout: 60000,
};
