#!/usr/bin/env node
// `npm test`: every suite, in order, stopping at the first failure. Each step prints its time.
import { spawnSync } from 'node:child_process'

const steps = [
  ['lint (ESLint + tsc)', 'npm', ['run', 'lint']],
  ['unit + component tests', 'npx', ['jest', '--config', 'jest.config.js', '--selectProjects', 'unit', 'components']],
  ['server tests', 'npx', ['jest', '--config', 'jest.config.js', '--selectProjects', 'server']],
  ['build H5', 'npx', ['taro', 'build', '--type', 'h5']],
  ['build DingTalk (dist/dd)', 'npx', ['taro', 'build', '--type', 'dd']],
  ['end-to-end (Chromium)', 'npx', ['jest', '--config', 'jest.e2e.config.js', '--runInBand']],
  ['compiled DingTalk build in a VM', 'npx', ['jest', '--config', 'jest.dd.config.js', '--runInBand']],
]

const only = process.argv.slice(2)
const results = []
for (const [name, cmd, args] of steps) {
  if (only.length && !only.some((o) => name.includes(o))) continue
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  const start = Date.now()
  // Taro's build logs redraw a progress bar; CI=true keeps it to plain lines.
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } })
  const seconds = ((Date.now() - start) / 1000).toFixed(1)
  results.push([name, res.status === 0 ? 'passed' : 'FAILED', seconds])
  if (res.status !== 0) break
}

console.log('\n=== summary')
for (const [name, status, seconds] of results) console.log(`${status.padEnd(7)} ${seconds.padStart(6)} s  ${name}`)
const failed = results.filter((r) => r[1] !== 'passed').length
if (failed || results.length === 0) process.exit(1)
