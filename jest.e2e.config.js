// End-to-end: the H5 build and the real local server, in Debian's Chromium through playwright-core.
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
  transform: { '^.+\\.[jt]sx?$': 'babel-jest' },
  transformIgnorePatterns: ['/node_modules/(?!(valibot)/)'],
  testTimeout: 120000,
}
