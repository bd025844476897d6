#!/usr/bin/env node
// `npm test`: every suite, in order, stopping at the first failure. Each step prints its time.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const steps = [
  ['lint (ESLint + tsc)', 'npm', ['run', 'lint']],
  ['unit + component tests', 'npx', ['jest', '--config', 'jest.config.js', '--selectProjects', 'unit', 'components']],
  // again as on a DingTalk engine without Proxy: MobX's ES5 implementation (see __tests__/helpers/mobx-config.ts)
  [
    'unit + component tests without Proxy (MobX useProxies: never)',
    'npx',
    ['jest', '--config', 'jest.config.js', '--selectProjects', 'unit', 'components'],
    { POSM_MOBX_PROXIES: 'never' },
  ],
  ['server tests', 'npx', ['jest', '--config', 'jest.config.js', '--selectProjects', 'server']],
  ['build H5 (preview)', 'npm', ['run', 'build:h5']],
  ['build DingTalk (preview, dist/dd)', 'npm', ['run', 'build:dd']],
  ['end-to-end (Chromium)', 'npx', ['jest', '--config', 'jest.e2e.config.js', '--runInBand']],
  ['compiled DingTalk build in a VM', 'npx', ['jest', '--config', 'jest.dd.config.js', '--runInBand']],
  ['DingTalk build drawn (AXML and ACSS in Chromium, beside the H5 preview)', 'npx', ['jest', '--config', 'jest.shots.config.js', '--runInBand']],
  ['release builds (HTTPS only, no development paths)', 'npx', ['jest', '--config', 'jest.release.config.js', '--runInBand']],
]

const only = process.argv.slice(2)
const results = []
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-test-'))
const tests = { passed: 0, failed: 0 }
for (const [index, [name, cmd, baseArgs, env = {}]] of steps.entries()) {
  if (only.length && !only.some((o) => name.includes(o))) continue
  // jest suites also write a JSON report, so that the summary can count every test
  const report = path.join(reports, `${index}.json`)
  const args = baseArgs[0] === 'jest' ? [...baseArgs, '--json', `--outputFile=${report}`] : baseArgs
  const envText = Object.entries(env)
    .map(([k, v]) => `${k}=${v} `)
    .join('')
  console.log(`\n=== ${name}: ${envText}${cmd} ${baseArgs.join(' ')}`)
  const start = Date.now()
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0', ...env } })
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'))
    tests.passed += r.numPassedTests
    tests.failed += r.numFailedTests
  }
  const seconds = ((Date.now() - start) / 1000).toFixed(1)
  results.push([name, res.status === 0 ? 'passed' : 'FAILED', seconds])
  if (res.status !== 0) break
}

console.log('\n=== summary')
for (const [name, status, seconds] of results) console.log(`${status.padEnd(7)} ${seconds.padStart(6)} s  ${name}`)
const failed = results.filter((r) => r[1] !== 'passed').length
console.log(`tests: ${tests.passed} passed, ${tests.failed} failed`)
fs.rmSync(reports, { recursive: true, force: true })
if (failed || results.length === 0 || tests.passed === 0) process.exit(1)
