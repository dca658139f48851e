module.exports = {
  ...require('./jest.base.config'),
  displayName: 'e2e',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/e2e-after-each-file.ts'],
  // The last guard against a hung CI: whatever a failed test leaked (a socket, a timer) cannot keep jest
  // running after the summary. Leaks are still fixed where found; this only bounds the damage.
  forceExit: true,
  testTimeout: 120000,
};
