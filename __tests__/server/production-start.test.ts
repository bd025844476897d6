/**
 * Production starts empty: a new production database has the schema and nothing else, whichever way it is made
 * (the server, `npm run migrate`, `npm run console:user`), on both engines. The demo data comes only in
 * development mode or on request (`npm run seed:demo`), and never into a database that holds an ISO's data.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { runConsoleUser } from '../../server/src/console-user'
import type { Db } from '../../server/src/db'
import { runSeedDemo } from '../../server/src/seed-demo'
import { testAccountCipher } from '../../server/src/test-accounts/crypto'
import { SEED_ISOS, SEED_STAFF } from '../../server/src/seed'
import { tableNames, testDatabaseIn, type TestDatabase } from './engine'
import { buildTestApp, tempDir } from './helpers'

const ROOT = path.resolve(__dirname, '../..')

/** Rows in each table that holds any (PostgreSQL's schema_migrations is the migrations' own record). */
async function rowsByTable(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of await tableNames(db)) {
    if (table === 'schema_migrations') continue
    const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)
    if (Number(row?.n) > 0) counts[table] = Number(row?.n)
  }
  return counts
}

async function rowsIn(database: TestDatabase): Promise<Record<string, number>> {
  const db = await database.connect()
  try {
    return await rowsByTable(db)
  } finally {
    await db.close()
  }
}

/** `npm run migrate` (server/src/migrate.ts through tsx) with this environment only. */
function runMigrate(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/migrate.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    child.on('error', reject)
    child.on('exit', (code: number | null) => resolve({ code, out }))
  })
}

describe('a new production database', () => {
  const temps: Array<() => void> = []
  const databases: TestDatabase[] = []
  const fresh = () => {
    const t = tempDir()
    temps.push(t.cleanup)
    const database = testDatabaseIn(t.dir)
    databases.push(database)
    return database
  }
  afterEach(async () => {
    for (const d of databases.splice(0)) await d.drop()
    for (const cleanup of temps.splice(0)) cleanup()
  })

  it('started by the production server has the schema and nothing else: no demo ISO, staff, promotion or account', async () => {
    const { app, database, close } = await buildTestApp({ dev: false, staticDir: null })
    try {
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
      const db = await database.connect()
      try {
        expect(await tableNames(db)).toEqual(expect.arrayContaining(['isos', 'staff', 'promotions', 'console_accounts', 'audit_log']))
        expect(await rowsByTable(db)).toEqual({})
      } finally {
        await db.close()
      }
    } finally {
      await close()
    }
  })

  it('made by `npm run migrate` has the schema and nothing else, and it says so', async () => {
    const database = fresh()
    const result = await runMigrate(database.env())
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/schema version 0 → \d+ \(new database: the schema only; demo data: npm run seed:demo\)/)
    expect(await rowsIn(database)).toEqual({})
  }, 60_000)

  it('made by `npm run console:user` holds the first administrator and its audit entry, nothing else', async () => {
    const database = fresh()
    const input = new PassThrough()
    input.end('a long first admin password\n')
    const add = await runConsoleUser(['add', '--role', 'admin', '--username', 'first', '--name', 'First Admin'], database.env(), input)
    expect(add).toEqual({ code: 0, out: ['Created first (Administrator).'] })
    expect(await rowsIn(database)).toEqual({ console_accounts: 1, audit_log: 1 })
  })

  it('development mode still starts with the demo data', async () => {
    const { database, close } = await buildTestApp({ dev: true, staticDir: null })
    try {
      const rows = await rowsIn(database)
      expect(rows).toMatchObject({ isos: SEED_ISOS.length, staff: SEED_STAFF.length })
    } finally {
      await close()
    }
  })
})

describe('npm run seed:demo', () => {
  let database: TestDatabase
  let cleanup: () => void
  beforeEach(() => {
    const t = tempDir()
    cleanup = t.cleanup
    database = testDatabaseIn(t.dir)
  })
  afterEach(async () => {
    await database.drop()
    cleanup()
  })

  it('adds the demo data to a new database (an administrator may exist), then finds it there and adds nothing', async () => {
    const input = new PassThrough()
    input.end('a long first admin password\n')
    expect((await runConsoleUser(['add', '--role', 'admin', '--username', 'first', '--name', 'First Admin'], database.env(), input)).code).toBe(0)

    const key = 'cd'.repeat(32)
    const first = await runSeedDemo({ ...database.env(), TEST_ACCOUNT_KEY: key })
    expect(first.code).toBe(0)
    expect(first.out.join('\n')).toMatch(/demo data added/)
    // the demo is usable at once: its ISOs' methods agreed, its staff's test accounts sealed with the configured key
    const db = await database.connect()
    try {
      expect(await db.all<{ id: string }>('SELECT id FROM isos WHERE method_agreed_at IS NULL')).toEqual([])
      const sealed = await db.all<{ staff_id: string; password_sealed: string | null }>('SELECT staff_id, password_sealed FROM test_accounts ORDER BY staff_id')
      expect(sealed.length).toBeGreaterThan(0)
      const cipher = testAccountCipher(Buffer.from(key, 'hex'))
      for (const row of sealed) {
        expect(row.password_sealed).not.toContain('Demo')
        expect(cipher.open(row.staff_id, row.password_sealed ?? '')).toMatch(/-Demo-2025$/)
      }
    } finally {
      await db.close()
    }
    const seeded = await rowsIn(database)
    expect(seeded).toMatchObject({ isos: SEED_ISOS.length, staff: SEED_STAFF.length, promotions: expect.any(Number), console_accounts: 1 })

    const again = await runSeedDemo(database.env())
    expect(again).toEqual({ code: 0, out: [expect.stringMatching(/the demo data is already there; nothing added/)] })
    expect(await rowsIn(database)).toEqual(seeded)
  })

  it('refuses a database that already holds a real ISO, and adds nothing to it', async () => {
    const db = await database.open({ seed: false })
    try {
      await db.run(
        `INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at, region)
         VALUES ('iso-real', 'Real Payments', 'ops@real.example', 'VERIFY_THEN_DEPLOY', 'Asia/Bangkok', 4, '2026-01-01T00:00:00.000Z', 'SEA')`,
      )
    } finally {
      await db.close()
    }
    const result = await runSeedDemo(database.env())
    expect(result.code).toBe(1)
    expect(result.out.join('\n')).toMatch(/already holds data \(1 isos\).*Nothing added\./)
    expect(await rowsIn(database)).toEqual({ isos: 1 })
  })
})
