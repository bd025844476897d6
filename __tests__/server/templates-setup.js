// The server project's globalSetup: a folder for the run's template databases (engine.ts, templatedDatabaseIn), named in
// POSM_TEST_TEMPLATES for the workers (SQLite files); its teardown (templates-teardown.js) removes it.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

module.exports = async function setup() {
  if (process.env.POSM_TEST_TEMPLATES) return // a caller's own (an outer run)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-templates-'))
  process.env.POSM_TEST_TEMPLATES = dir
  globalThis.posmTemplates = dir
}
