// The compiled DingTalk build (dist/dd), booted in a Node VM against the local workspace server.
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__tests__/dd/**/*.test.ts'],
  transform: { '^.+\\.[jt]sx?$': 'babel-jest' },
  transformIgnorePatterns: ['/node_modules/(?!(valibot)/)'],
  testTimeout: 60000,
}
