module.exports = {
  ...require('./jest.base.config'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs}/**/*.integration-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
