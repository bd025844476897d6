/**
 * The production server from a clean clone, as an operator deploys it: a clone of this commit (HEAD: commit
 * what you test), `npm install --omit=dev` (no development package: no jest, Taro, React, ESLint),
 * the first administrator made with `npm run console:user`, then `npm start` in production mode on a loopback
 * port. It answers /api/health, and its new database holds the schema, that administrator, and nothing else (no
 * demo ISO, staff or promotion).
 *
 * The install reaches the npm registry (packages already in the npm cache are taken from it: --prefer-offline).
 * better-sqlite3's native part: its install script first asks prebuild-install for a prebuilt binary, then
 * compiles SQLite with node-gyp (about 6 minutes on a busy 2-core machine). So that this test takes a couple of
 * minutes, the binary this checkout's own `npm install` built (same package version, same Node) is offered to
 * prebuild-install through its documented mirror variable (npm_config_better_sqlite3_binary_host) from a loopback
 * server; POSM_RELEASE_SQLITE_FROM_SOURCE=1 skips that and compiles, as a deploy without a prebuilt binary would.
 */
import { randomBytes } from 'node:crypto'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'

const REPO = path.resolve(__dirname, '..', '..')
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-prod-install-'))
const clone = path.join(work, 'clone')
const data = path.join(work, 'data')

/** Only what an operator's shell would have: no jest, npm or test variables of this run. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir(), CI: '1', npm_config_update_notifier: 'false' }
  for (const name of ['npm_config_cache', 'npm_config_registry', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy']) {
    const value = process.env[name]
    if (value) env[name] = value
  }
  return env
}

/** A command to its end, without blocking this process (the loopback server below answers while npm runs); no standard input. */
function runAsync(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...baseEnv(), ...options.env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (status: number | null) => resolve({ status, out }))
  })
}

function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }) {
  const res = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...baseEnv(), ...options.env } as unknown as NodeJS.ProcessEnv,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return { status: res.status, out: `${res.stdout ?? ''}${res.stderr ?? ''}` }
}

/** A loopback server handing prebuild-install the binary this checkout built; null when there is none to offer. */
async function prebuiltSqlite(): Promise<{ host: string; hits: string[]; close(): Promise<void> } | null> {
  if (process.env.POSM_RELEASE_SQLITE_FROM_SOURCE === '1') return null
  const installed = path.join(REPO, 'node_modules', 'better-sqlite3')
  const addon = path.join(installed, 'build', 'Release', 'better_sqlite3.node')
  const wanted = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[
    'better-sqlite3'
  ]
  const version = (JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string }).version
  if (!fs.existsSync(addon) || version !== wanted) return null
  // prebuild's layout: build/Release/better_sqlite3.node in a .tar.gz
  const staging = path.join(work, 'prebuild')
  fs.mkdirSync(path.join(staging, 'build', 'Release'), { recursive: true })
  fs.copyFileSync(addon, path.join(staging, 'build', 'Release', 'better_sqlite3.node'))
  const tarball = path.join(work, 'better-sqlite3-prebuilt.tar.gz')
  const tar = spawnSync('tar', ['-czf', tarball, '-C', staging, 'build'])
  if (tar.status !== 0) return null
  const hits: string[] = []
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '')
    if (!(req.url ?? '').endsWith('.tar.gz')) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/gzip' })
    fs.createReadStream(tarball).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** `npm start` in its own process group (npm, then node): answers the API's address once the banner is printed. */
function npmStart(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn('npm', ['start'], {
    cwd: clone,
    env: { ...baseEnv(), ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no address within 60 s:\n${output}`)), 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const m = /API:\s+(http:\/\/127\.0\.0\.1:\d+)\/api/.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve({ child, base: m[1], output: () => output })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`npm start exited (${code}):\n${output}`))
    })
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.kill(-child.pid!, 'SIGTERM')
  await exited
}

afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

describe('production from a clean clone', () => {
  it('npm install --omit=dev, npm run console:user, npm start: a production server on an empty database', async () => {
    // HEAD, whatever it is (a branch, or detached as CI checks out), into a repository of its own; safe.directory:
    // CI may run as another user than the checkout's owner
    const git = (args: string[], cwd: string) => run('git', ['-c', 'safe.directory=*', ...args], { cwd })
    const head = git(['rev-parse', 'HEAD'], REPO).out.trim()
    expect(head).toMatch(/^[0-9a-f]{40}$/)
    fs.mkdirSync(clone)
    expect(git(['init', '--quiet'], clone).status).toBe(0)
    const fetched = git(['fetch', '--quiet', '--no-tags', REPO, 'HEAD'], clone)
    expect([fetched.status, fetched.out]).toEqual([0, ''])
    expect(git(['checkout', '--quiet', '--detach', 'FETCH_HEAD'], clone).status).toBe(0)
    expect(git(['rev-parse', 'HEAD'], clone).out.trim()).toBe(head)
    expect(fs.existsSync(path.join(clone, 'node_modules'))).toBe(false)

    const mirror = await prebuiltSqlite()
    const prebuildCache = path.join(process.env.npm_config_cache || path.join(os.homedir(), '.npm'), '_prebuilds')
    const cachedBefore = new Set(fs.existsSync(prebuildCache) ? fs.readdirSync(prebuildCache) : [])
    const started = Date.now()
    let install: { status: number | null; out: string }
    try {
      install = await runAsync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
        cwd: clone,
        env: mirror ? { npm_config_better_sqlite3_binary_host: mirror.host } : {},
      })
    } finally {
      await mirror?.close()
      // prebuild-install keeps what it downloaded in the npm cache, under the loopback address of this run: not worth keeping
      if (mirror && fs.existsSync(prebuildCache)) {
        for (const name of fs.readdirSync(prebuildCache)) if (!cachedBefore.has(name)) fs.rmSync(path.join(prebuildCache, name), { force: true })
      }
    }
    const seconds = Math.round((Date.now() - started) / 1000)
    console.log(
      `npm install --omit=dev: ${seconds} s (better-sqlite3 ${mirror ? `prebuilt, offered from loopback: ${mirror.hits.join(' ')}` : 'compiled from source'})`,
    )
    expect([install.status, install.status === 0 ? '' : install.out.slice(-3000)]).toEqual([0, ''])

    // the server's packages, and none of the development ones
    const has = (name: string) => fs.existsSync(path.join(clone, 'node_modules', name, 'package.json'))
    for (const name of ['fastify', '@fastify/static', '@fastify/formbody', '@fastify/multipart', 'better-sqlite3', 'tsx', 'pg', 'valibot'])
      expect([name, has(name)]).toEqual([name, true])
    for (const name of ['jest', '@tarojs/cli', '@tarojs/taro', 'react', 'eslint', 'prettier', 'playwright-core'])
      expect([name, has(name)]).toEqual([name, false])

    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DB_PATH: path.join(data, 'workspace.sqlite'),
      UPLOAD_DIR: path.join(data, 'uploads'),
      STATIC_DIR: path.join(work, 'no-h5-build'),
      // production mode needs DingTalk's app; nothing here signs in, so nothing answers at this address
      DINGTALK_APP_KEY: 'release-test',
      DINGTALK_APP_SECRET: 'release-test-secret',
      DINGTALK_AGENT_ID: '1',
      DINGTALK_CORP_ID: 'ding-release-test',
      DINGTALK_API_BASE: 'http://127.0.0.1:9',
      // nothing answers there, so the start-up check of DingTalk's access token is skipped (as for offline maintenance)
      STARTUP_CHECKS: 'off',
      // the other settings a production server refuses to start without: the QR posters' mini-app, the test-account key
      DINGTALK_MINI_APP_ID: '5000000000000001',
      // issue 25: a production server checks payments (here: a reviewer does)
      PAYMENT_VERIFICATION: 'manual',
      TEST_ACCOUNT_KEY: randomBytes(32).toString('base64'),
      // and the Alipay+ Marketing Codes as the program prints them
      MARKETING_CODE_URL_PATTERNS: 'https://qr.alipayplus.example.com/mc/{code}',
      MARKETING_CODE_PATTERN: 'MC[0-9A-F]{12}',
    }
    // the first administrator, password on standard input
    const admin = run('npm', ['run', '--silent', 'console:user', '--', 'add', '--role', 'admin', '--username', 'first-admin', '--name', 'First Admin'], {
      cwd: clone,
      env,
      input: 'a long first administrator password\n',
    })
    expect([admin.status, admin.out.trim()]).toEqual([0, 'Created first-admin (Administrator).'])

    const server = await npmStart(env)
    try {
      expect(server.output()).toContain('production mode')
      const health = await fetch(`${server.base}/api/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok', dev: false })
      const signIn = await fetch(`${server.base}/console/sign-in`)
      expect(signIn.status).toBe(200)
      expect(await signIn.text()).not.toContain('No console account exists yet.')
    } finally {
      await stop(server.child)
    }

    const db = new Database(env.DB_PATH, { readonly: true })
    try {
      const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
      for (const table of ['isos', 'staff', 'association_requests', 'promotions', 'promotion_spots', 'uploads', 'inspection_tasks', 'notifications']) {
        expect([table, count(table)]).toEqual([table, 0])
      }
      expect(count('console_accounts')).toBe(1)
    } finally {
      db.close()
    }
  }, 900_000)
})
