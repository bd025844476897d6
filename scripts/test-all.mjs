#!/usr/bin/env node
// `npm test`: the whole set-up, then every suite, in order, stopping at the first failure. Each step prints its time.
// Set-up (scripts/test-setup.mjs): what the suites about to run need from the machine — Debian's Chromium, the font
// families the pictures name, PostgreSQL — installed with apt-get when missing (as root), or npm test stops at once with
// the one command that does; then, unless TEST_DATABASE_URL names a cluster of the developer's own, a throw-away
// PostgreSQL cluster (scripts/pg-cluster.sh: its own folder, a free loopback port or POSM_TEST_PG_PORT), stopped and
// removed on exit, pass or fail.
// A step is [name, command, arguments, environment (a variable set to null is removed), the variable it needs,
// the group it runs in]. Consecutive steps of one group run at the same time, each printing its output when it ends
// (the server suites on SQLite and on PostgreSQL: on 2 cores 722 s together against 365 + 484 s one after the other);
// POSM_TEST_PARALLEL=0 runs them one after the other.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { ensureMachine } from './test-setup.mjs'

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
  // on SQLite, whatever TEST_DATABASE_URL says; then on PostgreSQL when it is set (each test server in a schema of its own)
  ['server tests', 'npx', ['jest', '--config', 'jest.config.js', '--selectProjects', 'server'], { TEST_DATABASE_URL: null }, null, 'server'],
  ['server tests on PostgreSQL', 'npx', ['jest', '--config', 'jest.config.js', '--selectProjects', 'server'], {}, 'TEST_DATABASE_URL', 'server'],
  ['build H5 (preview)', 'npm', ['run', 'build:h5']],
  ['build DingTalk (preview, dist/dd)', 'npm', ['run', 'build:dd']],
  // the same app as one package (POSM_DD_SUBPACKAGES=0), exercised by the VM suite too (README: "Subpackages or one package")
  ['build DingTalk as one package (preview, dist/dd-single)', 'npm', ['run', 'build:dd'], { POSM_DD_SUBPACKAGES: '0', POSM_OUTPUT: 'dist/dd-single' }],
  ['end-to-end (Chromium)', 'npx', ['jest', '--config', 'jest.e2e.config.js', '--runInBand']],
  ['compiled DingTalk build in a VM', 'npx', ['jest', '--config', 'jest.dd.config.js', '--runInBand']],
  ['compiled DingTalk build as one package in a VM', 'npx', ['jest', '--config', 'jest.dd.config.js', '--runInBand'], { POSM_DD_DIST: 'dist/dd-single' }],
  ['DingTalk build drawn (AXML and ACSS in Chromium, beside the H5 preview)', 'npx', ['jest', '--config', 'jest.shots.config.js', '--runInBand']],
  ['release builds (HTTPS only, no development paths)', 'npx', ['jest', '--config', 'jest.release.config.js', '--runInBand']],
]

const only = process.argv.slice(2)
const results = []
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-test-'))
const tests = { passed: 0, failed: 0 }
const skipReasons = { TEST_DATABASE_URL: 'no PostgreSQL cluster' }
// shown as the command to type: a variable removed as `env -u NAME`, a password in a URL masked
const shown = (value) => String(value).replace(/^(\w+:\/\/[^:/@]*:)[^@/]*@/, '$1***@')
const serial = process.env.POSM_TEST_PARALLEL === '0'
/** The steps running now. */
const children = new Set()

const selected = steps.map(([name]) => name).filter((name) => !only.length || only.some((o) => name.includes(o)))
ensureMachine(selected)

/** A free loopback port (the kernel's choice), for the throw-away cluster. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

if (!process.env.TEST_DATABASE_URL?.trim() && steps.some(([name, , , , needs]) => needs === 'TEST_DATABASE_URL' && selected.includes(name))) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-pg-'))
  fs.chmodSync(folder, 0o755) // the postgres user (which runs the server when we are root) must reach the cluster in it
  const cluster = path.join(folder, 'cluster')
  const stop = () => {
    spawnSync('bash', ['scripts/pg-cluster.sh', 'stop', cluster], { stdio: 'inherit' })
    fs.rmSync(folder, { recursive: true, force: true })
  }
  process.on('exit', stop)
  // stopped by a signal: the running suites first (they use the cluster), then the cluster (on exit)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => {
      for (const child of children) child.kill(signal)
      process.exit(130)
    })
  const port = process.env.POSM_TEST_PG_PORT || String(await freePort())
  console.log(`\n=== set-up: a throw-away PostgreSQL cluster in ${cluster} on 127.0.0.1:${port} (stopped and removed at the end)`)
  const started = spawnSync('bash', ['scripts/pg-cluster.sh', 'start', cluster, port], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (started.status !== 0) {
    console.error('the throw-away PostgreSQL cluster did not start (above); set TEST_DATABASE_URL to a cluster of your own to use it instead')
    process.exit(1)
  }
  process.env.TEST_DATABASE_URL = started.stdout.trim()
}

/** Runs one step; its output goes to the terminal, or to `logFile` (printed by the caller) when given. */
function run(index, [name, cmd, baseArgs, env = {}, needs], logFile) {
  // jest suites also write a JSON report, so that the summary can count every test
  const report = path.join(reports, `${index}.json`)
  const args = baseArgs[0] === 'jest' ? [...baseArgs, '--json', `--outputFile=${report}`] : baseArgs
  const removed = Object.keys(env).filter((k) => env[k] === null)
  const set = Object.entries(env).filter(([, v]) => v !== null)
  if (needs) set.push([needs, process.env[needs]])
  const envWords = [...(removed.length ? ['env', ...removed.map((k) => `-u ${k}`)] : []), ...set.map(([k, v]) => `${k}=${shown(v)}`)]
  const envText = envWords.map((w) => `${w} `).join('')
  const title = `\n=== ${name}: ${envText}${cmd} ${baseArgs.join(' ')}`
  if (logFile) console.log(`${title}\n    (running beside the other steps of its group; its output follows when it ends)`)
  else console.log(title)
  const childEnv = { ...process.env, FORCE_COLOR: '0', ...env }
  for (const k of removed) delete childEnv[k]
  const start = Date.now()
  const out = logFile ? fs.openSync(logFile, 'w') : 'inherit'
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', out, out], env: childEnv })
    children.add(child)
    child.on('exit', () => children.delete(child))
    child.on('error', () => resolve(1))
    child.on('exit', (code) => resolve(code ?? 1))
  }).then((status) => {
    if (logFile) {
      fs.closeSync(out)
      console.log(`${title}\n${fs.readFileSync(logFile, 'utf8')}`)
    }
    if (fs.existsSync(report)) {
      const r = JSON.parse(fs.readFileSync(report, 'utf8'))
      tests.passed += r.numPassedTests
      tests.failed += r.numFailedTests
    }
    const seconds = ((Date.now() - start) / 1000).toFixed(1)
    return [name, status === 0 ? 'passed' : 'FAILED', seconds]
  })
}

for (let i = 0; i < steps.length;) {
  // the step, and the steps of its group that follow it
  let end = i + 1
  while (!serial && steps[i][5] && end < steps.length && steps[end][5] === steps[i][5]) end++
  const batch = []
  for (let k = i; k < end; k++) {
    const [name, , , , needs] = steps[k]
    if (only.length && !only.some((o) => name.includes(o))) continue
    if (needs && !process.env[needs]) results.push([name, 'skipped', `${needs} not set; ${skipReasons[needs] ?? 'set it to run this step'}`])
    else batch.push(k)
  }
  i = end
  const together = batch.length > 1
  const done = await Promise.all(batch.map((k) => run(k, steps[k], together ? path.join(reports, `${k}.log`) : null)))
  results.push(...done)
  if (done.some((r) => r[1] !== 'passed')) break
}

console.log('\n=== summary')
for (const [name, status, detail] of results) {
  if (status === 'skipped') console.log(`skipped  ${name} (${detail})`)
  else console.log(`${status.padEnd(7)} ${detail.padStart(6)} s  ${name}`)
}
const ran = results.filter((r) => r[1] !== 'skipped')
const failed = ran.filter((r) => r[1] !== 'passed').length
console.log(`tests: ${tests.passed} passed, ${tests.failed} failed`)
fs.rmSync(reports, { recursive: true, force: true })
if (ran.length === 0) console.log(only.length ? `no suite ran: none matches ${only.join(', ')} or each was skipped` : 'no suite ran')
if (failed || ran.length === 0 || tests.passed === 0) process.exit(1)
