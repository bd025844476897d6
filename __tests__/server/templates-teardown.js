// The server project's globalTeardown: the run's template databases (templates-setup.js) removed.
const fs = require('node:fs')

module.exports = async function teardown() {
  const dir = globalThis.posmTemplates
  if (!dir) return
  fs.rmSync(dir, { recursive: true, force: true })
  delete process.env.POSM_TEST_TEMPLATES
}
