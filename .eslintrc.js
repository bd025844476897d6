/** `x as unknown as T` says nothing the type checker can hold to: narrow (a union, a type guard) or type the source. */
const NO_DOUBLE_CAST = {
  selector:
    "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword'], TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSAnyKeyword']",
  message: 'No `as unknown as` (or `as any as`): narrow the value (a discriminated union, a type guard) or give its source the right type.',
}

/** What reaches dist/dd: no built-in later than ES2017. */
const ES2017_ONLY = [
  {
    selector:
      'CallExpression > MemberExpression.callee[computed=false][property.name=/^(flat|flatMap|finally|trimStart|trimEnd|matchAll|replaceAll|at|findLast|findLastIndex|toSorted|toReversed|toSpliced|with)$/]',
    message: 'A built-in later than ES2017: older DingTalk engines lack it (write it with ES2017 built-ins).',
  },
  {
    selector:
      "MemberExpression[object.name='Object'][property.name=/^(fromEntries|hasOwn|groupBy)$/], MemberExpression[object.name='Promise'][property.name=/^(allSettled|any|withResolvers)$/]",
    message: 'A built-in later than ES2017: older DingTalk engines lack it (write it with ES2017 built-ins).',
  },
]

// The globals declared in types/ that only one place may read: the DingTalk engine's (src/platform/dd and the native
// components of src/native) and the build's constants (config/index.js defines them; each read in one file).
const engineGlobals = ['dd', 'getApp'].map((name) => ({ name, message: "DingTalk's globals belong to src/platform/dd (use the ports)." }))
const buildConstants = { API_BASE_URL: 'src/platform/config.ts', DD_CORP_ID: 'src/platform/config.ts', POSM_DEV_SIGNIN: 'src/services/dev-signin.ts' }
const constantsExcept = (file) =>
  Object.entries(buildConstants)
    .filter(([, reader]) => reader !== file)
    .map(([name, reader]) => ({ name, message: `A build constant: read it in ${reader} only.` }))

module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { ecmaVersion: 2022, sourceType: 'module', ecmaFeatures: { jsx: true } },
  plugins: ['@typescript-eslint', 'react', 'react-hooks'],
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/recommended',
    'plugin:react/recommended',
    'plugin:react/jsx-runtime',
    'plugin:react-hooks/recommended',
  ],
  settings: { react: { version: '18' } },
  env: { es2022: true, node: true, browser: true, jest: true },
  globals: { defineAppConfig: 'readonly', definePageConfig: 'readonly' },
  rules: {
    // Prettier owns the layout: it starts a line that opens with ( or [ with a semicolon (no semicolons elsewhere)
    'no-extra-semi': 'off',
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    'react/prop-types': 'off',
    // Taro.* and TARO_ENV belong to the platform layer only (src/platform).
    'no-restricted-imports': [
      'error',
      { paths: [{ name: '@tarojs/taro', importNames: ['default'], message: 'Call Taro.* only in src/platform (use the ports).' }] },
    ],
    'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Build-time settings belong to src/platform/config.ts.' }],
    'no-restricted-globals': ['error', ...engineGlobals, ...constantsExcept(null)],
  },
  overrides: [
    {
      // type-aware rules: the TypeScript sources, with the project's types
      files: ['*.ts', '*.tsx'],
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname },
      rules: { '@typescript-eslint/no-floating-promises': 'error' },
    },
    {
      // what reaches dist/dd runs on DingTalk engines that may lack built-ins later than ES2017 (the build is read for
      // them too: __tests__/dd/dd-syntax.test.ts); the browser preview's own code (src/platform/h5) is not in it
      files: ['src/**', 'packages/contract/**'],
      excludedFiles: ['src/platform/h5/**', 'src/i18n/all.ts', 'src/app.config.ts'],
      rules: {
        'no-restricted-syntax': ['error', ...ES2017_ONLY, NO_DOUBLE_CAST],
      },
    },
    {
      // no double cast in the app (the override above carries it for the rest of src/ and the contract) and the
      // server; the three the server has are left to their own change: server/src/core-messages.ts, server/src/request-id.ts
      files: ['src/platform/h5/**', 'src/i18n/all.ts', 'src/app.config.ts', 'server/src/**'],
      excludedFiles: ['server/src/core-messages.ts', 'server/src/request-id.ts'],
      rules: { 'no-restricted-syntax': ['error', NO_DOUBLE_CAST] },
    },
    {
      // the phone metadata's JSON is typed string[] where libphonenumber-js wants its country codes: left to the
      // change that reworks phone validation (issue 28, item 6)
      files: ['packages/contract/rules/phone.ts'],
      rules: { 'no-restricted-syntax': ['error', ...ES2017_ONLY] },
    },
    {
      files: ['src/platform/**'],
      rules: { 'no-restricted-imports': 'off', 'no-restricted-properties': 'off' },
    },
    { files: ['src/platform/dd/**', 'src/native/**'], rules: { 'no-restricted-globals': ['error', ...constantsExcept(null)] } },
    ...[...new Set(Object.values(buildConstants))].map((file) => ({
      files: [file],
      rules: { 'no-restricted-globals': ['error', ...engineGlobals, ...constantsExcept(file)] },
    })),
    {
      // the contract package is shared by the app and the server: it imports neither, nor a framework
      files: ['packages/contract/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: ['**/src/**', '**/server/**', '@tarojs/*', 'mobx', 'mobx-react', 'react', 'fastify', 'better-sqlite3'],
                message: 'packages/contract depends on neither the app nor the server.',
              },
            ],
          },
        ],
      },
    },
    {
      // build-time and Node code (src/app.config.ts is read by the build, in Node, never shipped as such)
      files: ['server/**', 'scripts/**', 'config/**', '__tests__/**', '*.js', 'src/app.config.ts'],
      rules: {
        'no-restricted-properties': 'off',
        'no-restricted-imports': 'off',
        '@typescript-eslint/no-require-imports': 'off',
        '@typescript-eslint/no-var-requires': 'off',
      },
    },
  ],
  ignorePatterns: ['dist/', 'node_modules/', '.data/', 'coverage/'],
}
