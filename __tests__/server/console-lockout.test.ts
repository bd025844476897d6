/**
 * The console's sign-in throttle attacked as an outsider who knows a reviewer's user name would: production
 * hashing (the account made by `npm run console:user` in production mode: scrypt N = 2^17), two server
 * processes on one database (PostgreSQL when TEST_DATABASE_URL is set, else one SQLite file), bursts of
 * concurrent sign-ins spread over both. And the first sign-in after a start: an unknown user name must cost
 * what a known one does, or timing tells which names exist.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { runConsoleUser } from '../../server/src/console-user'
import type { Db } from '../../server/src/db'
import type { ThrottleRow } from '../../server/src/repo/signin-throttle'
import { MAX_FAILURES_PER_USER } from '../../server/src/services/console-accounts'
import { cookieOf, csrfOf } from '../helpers/console-http'
import { testDatabaseIn, type TestDatabase } from './engine'
import { startServerProcess, stopServerProcess, type ServerProcess } from './server-process'
import { MARKETING_CODES_ENV } from './marketing-code-env'

jest.setTimeout(300_000)

const engine = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'
const PASSWORD = 'the right password, at last'

/** A database of its own, migrated, with console accounts made as an administrator would in production. */
async function productionDatabase(usernames: string[]): Promise<{ database: TestDatabase; env: Record<string, string>; dir: string; db: Db }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-lockout-'))
  const database = testDatabaseIn(dir)
  // production mode: DingTalk configured (a loopback address nothing answers on: no staff sign in here)
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    STATIC_DIR: path.join(dir, 'no-static'),
    UPLOAD_DIR: path.join(dir, 'uploads'),
    DINGTALK_APP_KEY: 'lockout-test',
    DINGTALK_APP_SECRET: randomBytes(16).toString('hex'),
    DINGTALK_AGENT_ID: '1',
    DINGTALK_CORP_ID: 'ding-lockout-test',
    DINGTALK_MINI_APP_ID: '5000000000000001',
    // issue 25: a production server checks payments (here: a reviewer does)
    PAYMENT_VERIFICATION: 'manual',
    DINGTALK_API_BASE: 'http://127.0.0.1:9',
    // nothing answers there (nothing here signs in): start without checking DingTalk
    STARTUP_CHECKS: 'off',
    TEST_ACCOUNT_KEY: randomBytes(32).toString('base64'),
    ...MARKETING_CODES_ENV,
    ...database.env(),
  }
  for (const username of usernames) {
    const input = new PassThrough()
    input.end(`${PASSWORD}\n`)
    // no WORKSPACE_DEV: the production cost
    const result = await runConsoleUser(['add', '--role', 'admin', '--username', username, '--name', `Reviewer ${username}`], env, input)
    expect(result).toEqual({ code: 0, out: [`Created ${username} (Administrator).`] })
  }
  const db = await database.connect()
  expect((await db.get<{ password_hash: string }>('SELECT password_hash FROM console_accounts LIMIT 1'))?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/)
  return { database, env, dir, db }
}

interface SignInForm {
  cookie: string
  csrf: string
}

async function signInForm(base: string): Promise<SignInForm> {
  const res = await fetch(`${base}/console/sign-in`)
  const cookie = cookieOf(res, 'posm_console_signin')
  if (!cookie) throw new Error(`no sign-in form cookie from ${base}`)
  return { cookie, csrf: csrfOf(await res.text()) }
}

/** Sends the sign-in form; answers the status (303: signed in, 401: wrong, 429: locked). */
async function signIn(base: string, form: SignInForm, username: string, password: string): Promise<number> {
  const res = await fetch(`${base}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${form.cookie}` },
    body: new URLSearchParams({ _csrf: form.csrf, username, password }).toString(),
  })
  await res.arrayBuffer()
  return res.status
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

describe(`concurrent console sign-ins on one name, production hashing, two processes on ${engine}`, () => {
  let setup: Awaited<ReturnType<typeof productionDatabase>>
  let replicas: ServerProcess[] = []

  beforeAll(async () => {
    setup = await productionDatabase(['reviewer-a', 'reviewer-b'])
    replicas = await Promise.all([startServerProcess(setup.env), startServerProcess(setup.env)])
  })

  afterAll(async () => {
    await Promise.all(replicas.map(stopServerProcess))
    await setup?.db.close()
    await setup?.database.drop()
    if (setup) fs.rmSync(setup.dir, { recursive: true, force: true })
  })

  const throttle = (key: string) => setup.db.get<ThrottleRow>('SELECT * FROM console_signin_throttle WHERE key = ?', [key])

  /**
   * `size - 1` wrong passwords at once, spread over both processes, then the right one while they are still
   * being checked: as soon as the database shows the allowed number of attempts counted (or every wrong one
   * answered).
   */
  async function burst(username: string, size: number) {
    const forms = await Promise.all(Array.from({ length: size }, (_, i) => signInForm(replicas[i % 2].base)))
    let answered = 0
    const wrong = Array.from({ length: size - 1 }, (_, i) =>
      signIn(replicas[i % 2].base, forms[i], username, `wrong password number ${i}`).finally(() => answered++),
    )
    while (answered < size - 1 && ((await throttle(`user:${username}`))?.failures ?? 0) < MAX_FAILURES_PER_USER) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const right = await signIn(replicas[(size - 1) % 2].base, forms[size - 1], username, PASSWORD)
    const statuses = await Promise.all(wrong)
    return { statuses, right, row: await throttle(`user:${username}`) }
  }

  for (const [size, username] of [
    [15, 'reviewer-a'],
    [50, 'reviewer-b'],
  ] as const) {
    it(`${size} at once: at most ${MAX_FAILURES_PER_USER} passwords are checked, the right one is refused once locked`, async () => {
      const { statuses, right, row } = await burst(username, size)
      // every attempt was counted before its check: no more than the allowed number were checked
      expect(row?.failures).toBeLessThanOrEqual(MAX_FAILURES_PER_USER)
      expect(row?.locked_until).not.toBeNull()
      // the others were refused (429) without a check, none signed in
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true)
      expect(statuses.filter((s) => s === 401).length).toBeLessThan(MAX_FAILURES_PER_USER)
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(size - MAX_FAILURES_PER_USER)
      expect(right).toBe(429)
      // the name stays locked on both processes: the right password is refused, and the failures are still counted
      for (const replica of replicas) expect(await signIn(replica.base, await signInForm(replica.base), username, PASSWORD)).toBe(429)
      expect((await throttle(`user:${username}`))?.failures).toBe(row?.failures)
    })
  }
})

describe(`the first console sign-in after a start (production hashing, ${engine})`, () => {
  let setup: Awaited<ReturnType<typeof productionDatabase>>

  beforeAll(async () => {
    setup = await productionDatabase(['reviewer-c'])
  })

  afterAll(async () => {
    await setup?.db.close()
    await setup?.database.drop()
    if (setup) fs.rmSync(setup.dir, { recursive: true, force: true })
  })

  it('an unknown user name costs what a known one does (within 30 %), measured on fresh processes', async () => {
    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] }
    for (let round = 0; round < 4; round++) {
      // alternately first, so that a machine getting busier does not favour one kind
      const kinds = round % 2 ? (['unknown', 'known'] as const) : (['known', 'unknown'] as const)
      for (const kind of kinds) {
        const server = await startServerProcess(setup.env)
        try {
          const form = await signInForm(server.base)
          const started = performance.now()
          const status = await signIn(server.base, form, kind === 'known' ? 'reviewer-c' : `nobody-${round}`, 'a wrong password')
          times[kind].push(performance.now() - started)
          expect(status).toBe(401)
        } finally {
          await stopServerProcess(server)
        }
      }
    }
    const known = median(times.known)
    const unknown = median(times.unknown)
    const measured = `known ${times.known.map(Math.round).join(', ')} ms; unknown ${times.unknown.map(Math.round).join(', ')} ms`
    expect([measured, Math.abs(unknown - known) / known <= 0.3]).toEqual([measured, true])
  })
})
