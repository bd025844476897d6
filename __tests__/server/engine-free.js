/**
 * Server test files that never open a database (signatures, the Alipay+ and DingTalk clients against their fakes,
 * settings, schemas, the photo bucket): the PostgreSQL pass of `npm test` (TEST_DATABASE_URL set) leaves them out,
 * since they would run the same code a second time. Blocks of other files that touch no database use
 * `describeEngineFree` (engine.ts). A file here that starts a test server fails engine-free.test.ts.
 */
module.exports = [
  'alipayplus-client.test.ts',
  'alipayplus-signature.test.ts',
  'config.test.ts',
  'dingtalk-client.test.ts',
  'evidence-rules.test.ts',
  'property-schemas.test.ts',
  'storage.test.ts',
]
