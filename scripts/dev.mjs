#!/usr/bin/env node
// `npm run dev` (H5 preview) and `npm run dev:dd` (DingTalk IDE): the local workspace server in
// development mode plus Taro in watch mode, with one line saying where to open each.
import { spawn } from 'node:child_process'

const target = process.argv[2] === 'dd' ? 'dd' : 'h5'
const port = process.env.PORT || '3100'
const h5Port = process.env.H5_PORT || '10086'
const api = `http://127.0.0.1:${port}`
const children = []

function run(name, cmd, args, env) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  const prefix = `[${name}] `
  const pipe = (stream, out) =>
    stream.on('data', (buf) => {
      for (const line of buf.toString().split('\n')) if (line.trim()) out.write(prefix + line + '\n')
    })
  pipe(child.stdout, process.stdout)
  pipe(child.stderr, process.stderr)
  child.on('exit', (code) => {
    console.log(`${prefix}exited with ${code}`)
    shutdown(code ?? 1)
  })
  children.push(child)
}

function shutdown(code) {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  process.exit(code)
}
process.on('SIGINT', () => shutdown(0))
process.on('SIGTERM', () => shutdown(0))

// node directly (not npx) so that stopping this script stops the processes themselves
run('server', process.execPath, ['node_modules/tsx/dist/cli.mjs', 'server/src/main.ts'], { WORKSPACE_DEV: '1', PORT: port })
run('taro', process.execPath, ['node_modules/@tarojs/cli/bin/taro', 'build', '--type', target, '--watch'], {
  TARO_APP_API_URL: api,
  H5_PORT: h5Port,
  POSM_PREVIEW: '1',
})

console.log('')
console.log('POSM Workspace development')
console.log(`  API and review console: ${api}  (console: ${api}/console, user "console", password "console")`)
if (target === 'h5') console.log(`  App in the browser:     http://127.0.0.1:${h5Port}/  (opens once Taro has compiled)`)
else console.log('  DingTalk IDE:           open the folder dist/dd (rebuilt on every change)')
console.log('')
