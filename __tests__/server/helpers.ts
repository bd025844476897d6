import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { ApiErrorBody } from '../../packages/contract/errors'
import { buildServer, type BuildServerOptions } from '../../server/src/app'
import { SettableClock, systemClock } from '../../server/src/clock'
import { DEVELOPMENT_COST } from '../../server/src/console/passwords'
import { openSqlite } from '../../server/src/database/sqlite'
import type { Db } from '../../server/src/db'
import { createRepos } from '../../server/src/repo'
import { commandLineActor, createConsoleAccountService, DEV_ACCOUNTS, DEV_PASSWORD, type NewAccountInput } from '../../server/src/services/console-accounts'
import { templatedDatabaseIn, type TestDatabase } from './engine'

/** The development accounts (seeded in development mode), one per role; all have the password `console`. */
export const DEV_ACCOUNT = { admin: 'console', lioncity: 'lioncity', nusantara: 'nusantara', coordinator: 'coordinator', alipay: 'alipay' } as const

/** A temporary folder for one test; removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-server-'))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

export interface TestServer {
  app: FastifyInstance
  clock: SettableClock
  /** The SQLite file (on PostgreSQL a path in `dir` that is never created: use `db` or `database`). */
  dbPath: string
  /** Where the server's database lives, on this run's engine (engine.ts). */
  database: TestDatabase
  /**
   * A second connection to the server's database (the server's own is not exposed), through the database
   * port, so that a test's queries run on either engine. It sees every committed transaction of the server.
   */
  db: Db
  dir: string
  /** Where this server keeps photos (unless overridden). */
  uploadDir: string
  /** Signs in through the dev endpoint and answers the bearer token. */
  signIn(staffId: string): Promise<string>
  /** A JSON call to the API; `body` is sent as JSON unless `payload` is given. */
  api(method: 'GET' | 'POST' | 'OPTIONS', url: string, opts?: ApiCallOptions): Promise<LightMyRequestResponse>
  /** A console page, signed in as the administrator (or as `as`; null: not signed in). */
  consoleGet(url?: string, as?: string | null): Promise<LightMyRequestResponse>
  /** A console form, sent as the administrator with the session's CSRF token (unless the form has `_csrf`). */
  consolePost(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  /** The console as one account: its pages and forms (signed in through the sign-in form on first use). */
  consoleAs(username: string, password?: string): ConsoleClient
  close(): Promise<void>
}

export interface ConsoleClient {
  get(url: string): Promise<LightMyRequestResponse>
  post(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  /** The session's cookie and CSRF token (signing in if needed). */
  session(): Promise<{ cookie: string; csrf: string }>
}

/** The value of a Set-Cookie header's cookie. */
export function cookieFrom(res: LightMyRequestResponse, name: string): string | undefined {
  const header = res.headers['set-cookie']
  const lines = Array.isArray(header) ? header : header ? [header] : []
  for (const line of lines) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line)
    if (m) return m[1]
  }
  return undefined
}

/** The CSRF token a console page puts in its forms. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!m) throw new Error('no CSRF token on the page')
  return m[1]
}

const UNLIMITED = { signInPerMinute: 100_000, uploadsPerMinute: 100_000, submissionsPerMinute: 100_000 }

/** Where a console account is written: a test server, its database, or (SQLite only) a database file. */
export type AccountTarget = Pick<TestServer, 'database'> | TestDatabase | string

/** Another connection to the target's database. */
async function connect(target: AccountTarget): Promise<Db> {
  if (typeof target === 'string') return openSqlite(target)
  return ('database' in target ? target.database : target).connect()
}

/**
 * Creates a console account in a server's database, through another connection (as `npm run console:user`
 * does). A file path is a SQLite database whatever the engine of the run (the compiled-build tests' servers).
 */
export async function addConsoleAccount(
  target: AccountTarget,
  input: Omit<NewAccountInput, 'isoId' | 'region'> & { isoId?: string; region?: string },
): Promise<void> {
  const db = await connect(target)
  try {
    const service = createConsoleAccountService({ db, repos: createRepos(db), clock: systemClock, dev: true, cost: DEVELOPMENT_COST })
    const result = await service.create(commandLineActor('test'), { ...input, isoId: input.isoId ?? null, region: input.region ?? null }, { skipPolicy: true })
    if (!result.ok) throw new Error(`account ${input.username}: ${result.problem}`)
  } finally {
    await db.close()
  }
}

/** Signs in through the console's form: the sign-in page, then the form with its token. */
export async function consoleSignIn(
  app: FastifyInstance,
  username: string,
  password = DEV_PASSWORD,
): Promise<{ cookie: string; csrf: string; res: LightMyRequestResponse }> {
  const form = await app.inject({ method: 'GET', url: '/console/sign-in' })
  const formCookie = cookieFrom(form, 'posm_console_signin')
  const res = await app.inject({
    method: 'POST',
    url: '/console/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${formCookie}` },
    payload: new URLSearchParams({ _csrf: csrfOf(form.body), username, password }).toString(),
  })
  const session = cookieFrom(res, 'posm_console')
  if (res.statusCode !== 303 || !session) return { cookie: '', csrf: '', res }
  const cookie = `posm_console=${session}`
  const page = await app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie } })
  return { cookie, csrf: csrfOf(page.body), res }
}

/** The session ended (a test's clock moved past its idle time): sign in again, as a reviewer would. */
const ended = (res: LightMyRequestResponse) =>
  (res.statusCode === 401 && res.body.includes('Signed out')) || (res.statusCode === 303 && String(res.headers.location).startsWith('/console/sign-in'))

export function consoleClient(app: FastifyInstance, username: string, password = DEV_PASSWORD): ConsoleClient {
  let session: { cookie: string; csrf: string } | undefined
  const ensure = async () => {
    if (!session) {
      const signedIn = await consoleSignIn(app, username, password)
      if (!signedIn.cookie) throw new Error(`console sign-in of ${username} failed: ${signedIn.res.statusCode}`)
      session = { cookie: signedIn.cookie, csrf: signedIn.csrf }
    }
    return session
  }
  return {
    session: ensure,
    async get(url) {
      let res = await app.inject({ method: 'GET', url, headers: { cookie: (await ensure()).cookie } })
      if (ended(res)) {
        session = undefined
        res = await app.inject({ method: 'GET', url, headers: { cookie: (await ensure()).cookie } })
      }
      return res
    },
    async post(url, form, headers = {}) {
      const send = async () => {
        const { cookie, csrf } = await ensure()
        return app.inject({
          method: 'POST',
          url,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
          payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
        })
      }
      let res = await send()
      if (ended(res)) {
        session = undefined
        res = await send()
      }
      return res
    },
  }
}

export interface ApiCallOptions {
  token?: string
  body?: unknown
  payload?: string
  headers?: Record<string, string>
}

export interface TestApp {
  app: FastifyInstance
  /** Its database, on this run's engine. */
  database: TestDatabase
  /** Its temporary folder (the SQLite file, photos). */
  dir: string
  /** Closes the server, drops its database (PostgreSQL) and removes the folder. */
  close(): Promise<void>
}

/**
 * buildServer with the given options on a database of its own (a SQLite file in a temporary folder, or a
 * fresh PostgreSQL schema when TEST_DATABASE_URL is set), for tests that build the server themselves.
 */
export async function buildTestApp(options: Omit<BuildServerOptions, 'dbPath'>, database?: TestDatabase): Promise<TestApp> {
  const { dir, cleanup } = tempDir()
  // a new database: the run's template of what the server would make of it (engine.ts), unless the clock is not known
  let db: TestDatabase
  try {
    db = database ?? (await templatedDatabaseIn(dir, { seed: options.demoData ?? options.dev, clock: options.clock }))
  } catch (error) {
    cleanup()
    throw error
  }
  const remove = async () => {
    try {
      await db.drop()
    } finally {
      cleanup()
    }
  }
  let app: FastifyInstance
  try {
    app = await buildServer({ ...options, ...db.serverOptions })
  } catch (error) {
    await remove()
    throw error
  }
  return {
    app,
    database: db,
    dir,
    async close() {
      try {
        await app.close()
      } finally {
        await remove()
      }
    },
  }
}

/** A server on its own temporary database, with a settable clock and console credentials. */
export async function startTestServer(overrides: Partial<BuildServerOptions> = {}): Promise<TestServer> {
  const { dir, cleanup } = tempDir()
  const clock = new SettableClock('2025-03-03T02:00:00.000Z')
  const uploadDir = path.join(dir, 'uploads')
  // rate limits out of the way unless a test sets its own (many sign-ins and submissions in a few seconds); the
  // demo ISOs, staff and promotions are the tests' fixtures, asked for explicitly (a production server seeds
  // nothing: `demoData: false` gives such an empty database)
  const options: Omit<BuildServerOptions, 'dbPath'> = {
    dev: true,
    demoData: true,
    clock,
    staticDir: null,
    uploadDir,
    logger: false,
    rateLimits: UNLIMITED,
    ...overrides,
  }
  let database: TestDatabase
  try {
    // the run's template of what the server would make of a new database (engine.ts)
    database = await templatedDatabaseIn(dir, { seed: options.demoData ?? options.dev, clock: options.clock })
  } catch (error) {
    cleanup()
    throw error
  }
  const dbPath = database.dbPath
  let app: FastifyInstance | undefined
  let db: Db | undefined
  const release = async () => {
    try {
      await app?.close()
      await db?.close()
      await database.drop()
    } finally {
      cleanup()
    }
  }
  try {
    app = await buildServer({ ...options, ...database.serverOptions })
    db = await database.connect()
    // production mode seeds no console account: the tests get the development ones, as an administrator would create them
    if (overrides.dev === false) for (const a of DEV_ACCOUNTS) await addConsoleAccount(database, { ...a, password: DEV_PASSWORD })
  } catch (error) {
    await release().catch(() => undefined)
    throw error
  }
  const server = app

  const api: TestServer['api'] = (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    const request: InjectOptions = { method, url, headers }
    if (opts.payload !== undefined) request.payload = opts.payload
    else if (opts.body !== undefined) {
      request.payload = JSON.stringify(opts.body)
      headers['content-type'] ??= 'application/json'
    }
    return server.inject(request)
  }

  const clients = new Map<string, ConsoleClient>()
  const client = (username: string, password?: string) => {
    let c = clients.get(username)
    if (!c) {
      c = consoleClient(server, username, password)
      clients.set(username, c)
    }
    return c
  }

  let closed: Promise<void> | undefined
  return {
    app: server,
    clock,
    dbPath,
    database,
    db,
    dir,
    uploadDir: overrides.uploadDir ?? uploadDir,
    api,
    async signIn(staffId) {
      const res = await api('POST', '/api/auth/dev', { body: { staffId } })
      if (res.statusCode !== 200) throw new Error(`sign-in of ${staffId} failed: ${res.statusCode} ${res.body}`)
      return res.json().token as string
    },
    consoleGet(url = '/console', as: string | null = DEV_ACCOUNT.admin) {
      return as === null ? server.inject({ method: 'GET', url }) : client(as).get(url)
    },
    consolePost(url, form, headers = {}) {
      return client(DEV_ACCOUNT.admin).post(url, form, headers)
    },
    consoleAs(username, password) {
      return client(username, password)
    },
    close() {
      closed ??= release()
      return closed
    },
  }
}

/** The error body of a refused call, checked to have the ApiErrorBody shape. */
export function errorOf(res: LightMyRequestResponse): ApiErrorBody['error'] {
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  const body = res.json() as ApiErrorBody
  expect(typeof body.error.code).toBe('string')
  expect(typeof body.error.message).toBe('string')
  return body.error
}
