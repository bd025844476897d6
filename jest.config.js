// Unit, component and server tests. End-to-end and compiled-build tests have their own configs.
const esModules = [
  '@tarojs',
  '\\.pnpm',
  'style-inject',
  '@stencil',
  'lodash-es',
  'nanoid',
  'valibot',
  'mobx-react',
  'mobx-react-lite',
  'swiper',
  'dom7',
  'ssr-window',
  'query-string',
  'decode-uri-component',
  'split-on-first',
  'filter-obj',
  'cookie',
].join('|')

// the PostgreSQL pass (TEST_DATABASE_URL set) leaves out the server tests that never open a database
const engineFree = process.env.TEST_DATABASE_URL ? require('./__tests__/server/engine-free.js') : []

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.[jt]sx?$': 'babel-jest', '^.+\\.mjs$': 'babel-jest' },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'json'],
}

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/__tests__/unit/setup.ts'],
      testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'components',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/__tests__/components/**/*.test.tsx'],
      setupFiles: ['<rootDir>/__tests__/components/setup.ts'],
      moduleNameMapper: {
        '^@tarojs/components$': '@tarojs/components/lib/react',
        '^@tarojs/taro$': '<rootDir>/__tests__/components/taro-shim.ts',
        '\\.(css|scss)$': '<rootDir>/__tests__/components/style-mock.js',
      },
    },
    {
      ...common,
      displayName: 'server',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/__tests__/server/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...engineFree.map((file) => `/__tests__/server/${file.replace(/\./g, '\\.')}$`)],
      // the run's template databases, copied for each new test server instead of migrating and seeding it (engine.ts)
      globalSetup: '<rootDir>/__tests__/server/templates-setup.js',
      globalTeardown: '<rootDir>/__tests__/server/templates-teardown.js',
      // 20 s per test (setup-timeout.js: jest ignores a project's testTimeout)
      setupFilesAfterEnv: ['<rootDir>/__tests__/server/setup-timeout.js'],
    },
  ],
}
