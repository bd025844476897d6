/**
 * The database engine of the server tests, chosen in one place: PostgreSQL when TEST_DATABASE_URL is set (a
 * `postgres://` URL of a throw-away cluster, e.g. from scripts/pg-cluster.sh), otherwise SQLite as always.
 *
 * On PostgreSQL every test database is a fresh schema of that database (`t_<pid>_<n>_<random>`), dropped when
 * the test is done, so that parallel jest workers never see each other's data. Tests of the SQLite file itself
 * (PRAGMA user_version, SQLite's migrations, WAL) use `describeSqliteOnly` / `itSqliteOnly`: skipped on PostgreSQL.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { SettableClock, type Clock } from '../../server/src/clock'
import type { Engine } from '../../server/src/database/port'
import { openPostgres } from '../../server/src/database/postgres'
import { openSqlite } from '../../server/src/database/sqlite'
import { openDatabase, type Db, type OpenDatabaseOptions } from '../../server/src/db'

/** The PostgreSQL cluster the server tests run on; undefined: SQLite. */
export const TEST_DATABASE_URL: string | undefined = process.env.TEST_DATABASE_URL?.trim() || undefined

if (TEST_DATABASE_URL !== undefined && !/^postgres(ql)?:\/\//i.test(TEST_DATABASE_URL)) {
  throw new Error(`TEST_DATABASE_URL must be a postgres:// URL, not ${TEST_DATABASE_URL}`)
}

export const testEngine: Engine = TEST_DATABASE_URL ? 'postgres' : 'sqlite'
export const onPostgres = testEngine === 'postgres'
export const onSqlite = testEngine === 'sqlite'

/**
 * PostgreSQL answers over a socket, each query a round trip (SQLite's are calls in the process): a test of many
 * steps takes several times longer, so the files that import this module get more than jest's 5 s per test.
 * Tests that set their own timeout keep it.
 */
export const POSTGRES_TEST_TIMEOUT_MS = 30_000
if (onPostgres) jest.setTimeout(POSTGRES_TEST_TIMEOUT_MS)

/** A describe block about the SQLite file itself: skipped when the tests run on PostgreSQL. */
export const describeSqliteOnly: jest.Describe = onSqlite ? describe : describe.skip
/** A test about the SQLite file itself: skipped when the tests run on PostgreSQL. */
export const itSqliteOnly: jest.It = onSqlite ? it : it.skip
/**
 * A describe block that opens no database (pure analysis, parsing, settings): run in the SQLite pass only, since the
 * PostgreSQL pass would run the same code again. Whole files of that kind are listed in engine-free.js.
 */
export const describeEngineFree: jest.Describe = onSqlite ? describe : describe.skip
/** A test about PostgreSQL only: skipped on SQLite. */
export const itPostgresOnly: jest.It = onPostgres ? it : it.skip

let counter = 0

/** A schema name of its own for one test database: safe unquoted, unique across processes and runs. */
export function freshSchemaName(): string {
  return `t_${process.pid}_${++counter}_${randomBytes(4).toString('hex')}`
}

/** Where one test's database lives, on the engine of this run. */
export interface TestDatabase {
  readonly engine: Engine
  /** What openDatabase takes: the SQLite file, or the PostgreSQL URL. */
  readonly target: string
  /** PostgreSQL: this database's own schema; SQLite: undefined. */
  readonly schema: string | undefined
  /** The SQLite file (on PostgreSQL only a path in the test's folder, never created). */
  readonly dbPath: string
  /** The buildServer options that put a server on this database. */
  readonly serverOptions: { dbPath: string; databaseUrl?: string; databaseSchema?: string }
  /** openDatabase on it: migrated, and seeded with the demo data (the tests' fixtures) when new, unless `seed: false`. */
  open(options?: Omit<OpenDatabaseOptions, 'schema'>): Promise<Db>
  /** Another connection to it, without migrating (a server has done that), as `npm run console:user` would. */
  connect(): Promise<Db>
  /** Environment variables that point the server's configuration (server/src/config.ts) at it. */
  env(): Record<string, string>
  /** PostgreSQL: drops the schema and everything in it (call after closing every connection). SQLite: nothing. */
  drop(): Promise<void>
}

/** Runs one statement on the test cluster through a connection of its own. */
export async function onCluster(sql: string): Promise<void> {
  if (!TEST_DATABASE_URL) throw new Error('onCluster: TEST_DATABASE_URL is not set')
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, application_name: 'posm-tests' })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/**
 * A new test database on this run's engine: the SQLite file `dbPath` (its folder is the caller's to remove),
 * or a fresh schema of the TEST_DATABASE_URL database (created when first opened; `drop()` removes it).
 */
export function testDatabase(dbPath: string): TestDatabase {
  if (!TEST_DATABASE_URL) {
    return {
      engine: 'sqlite',
      target: dbPath,
      schema: undefined,
      dbPath,
      serverOptions: { dbPath },
      open: (options = {}) => openDatabase(dbPath, { seed: true, ...options }),
      connect: async () => openSqlite(dbPath),
      env: () => ({ DB_PATH: dbPath }),
      drop: async () => undefined,
    }
  }
  const url = TEST_DATABASE_URL
  const schema = freshSchemaName()
  let dropped = false
  return {
    engine: 'postgres',
    target: url,
    schema,
    dbPath,
    serverOptions: { dbPath, databaseUrl: url, databaseSchema: schema },
    open: (options = {}) => openDatabase(url, { seed: true, ...options, schema }),
    connect: () => openPostgres(url, { schema, max: 3 }),
    env: () => ({ DATABASE_URL: url, DATABASE_SCHEMA: schema }),
    async drop() {
      if (dropped) return
      dropped = true
      await onCluster(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    },
  }
}

/** A test database in `dir` (SQLite: `dir/<file>`). */
export function testDatabaseIn(dir: string, file = 'workspace.sqlite'): TestDatabase {
  return testDatabase(path.join(dir, file))
}

/**
 * The run's template databases (templates-setup.js, the server project's globalSetup, sets it: a folder). Unset (a test
 * run without that set-up), every test server migrates and seeds its own.
 */
const TEMPLATES = process.env.POSM_TEST_TEMPLATES?.trim() || undefined

/** What a new server's database would hold after openDatabase: the schema, and the demo data seeded at `clock.now()`. */
export interface DatabaseContents {
  seed: boolean
  /** The clock the server seeds with: only a SettableClock's time is known beforehand (another clock: no template). */
  clock?: Clock
}

/**
 * A new test database in `dir`, as a test server would find it after migrating and seeding a fresh one. On SQLite, a
 * copy of the run's template file of those contents (made once, by whichever worker first needs it: 460 test servers
 * on SQLite, each about a third faster to start); the server's openDatabase then finds every migration applied. On
 * PostgreSQL (a database cloned from a template measured slower than a schema migrated: CREATE and DROP DATABASE cost
 * more than the migrations), without templates, or for contents not known beforehand: testDatabaseIn(dir), migrated by
 * the server as before. Tests of the migrations themselves use testDatabaseIn and openDatabase directly, never this.
 */
export async function templatedDatabaseIn(dir: string, { seed, clock }: DatabaseContents): Promise<TestDatabase> {
  const database = testDatabaseIn(dir)
  if (!TEMPLATES || database.engine !== 'sqlite') return database
  if (seed && !(clock instanceof SettableClock)) return database
  const at = seed ? clock!.now() : undefined
  const template = path.join(TEMPLATES, seed ? `seed-${at!.toISOString().replace(/[^0-9]/g, '')}.sqlite` : 'empty.sqlite')
  if (!fs.existsSync(template)) {
    // made under a name of this process, then renamed: a worker never copies a template half made
    const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`
    const db = await openDatabase(building, { seed, clock: { now: () => new Date(at ?? 0) } })
    await db.close()
    fs.renameSync(building, template)
  }
  fs.copyFileSync(template, database.dbPath)
  return database
}

/** The names of the tables of a database (not SQLite's own), sorted. */
export async function tableNames(db: Db): Promise<string[]> {
  const rows =
    db.engine === 'sqlite'
      ? await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      : await db.all<{ name: string }>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
        )
  return rows.map((r) => r.name)
}

/** The column names of a table. */
export async function columnNames(db: Db, table: string): Promise<string[]> {
  const rows =
    db.engine === 'sqlite'
      ? await db.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table])
      : await db.all<{ name: string }>(
          'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position',
          [table],
        )
  return rows.map((r) => r.name)
}

/**
 * The message of the error a database call rejects with ('' and a failed expectation when it resolves).
 * Compare it with toMatch rather than `rejects.toThrow`: better-sqlite3's native part keeps the SqliteError
 * class of the first test file its jest worker loaded, whose `Error` is another realm's, so that jest does not
 * see the errors of later files as errors.
 */
export async function rejectionOf(call: Promise<unknown>): Promise<string> {
  try {
    await call
  } catch (error) {
    return String((error as { message?: unknown } | null)?.message ?? error)
  }
  expect('the call succeeded').toBe('the call is refused')
  return ''
}
