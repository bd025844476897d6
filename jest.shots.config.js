// The compiled DingTalk build drawn in Chromium (its AXML and ACSS rendered) beside the H5 preview, state by state.
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/shots/**/*.test.ts'],
  transform: { '^.+\\.[jt]sx?$': 'babel-jest' },
  transformIgnorePatterns: ['/node_modules/(?!(valibot)/)'],
  testTimeout: 300000,
}
