/**
 * Upgrading a database made by the previous schema (version 6, the one before the servers could run side by
 * side) to the current one, on SQLite and — when TEST_DATABASE_URL is set — on PostgreSQL: every row kept.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MIGRATIONS, openDatabase, POSTGRES_MIGRATIONS, SCHEMA_VERSION, type Db } from '../../server/src/db'
import { openPostgres } from '../../server/src/database/postgres'
import { openSqlite } from '../../server/src/database/sqlite'
import { seedDatabase } from '../../server/src/seed'

const PREVIOUS = 6
const TABLES = [
  'isos',
  'staff',
  'association_requests',
  'promotions',
  'promotion_spots',
  'marketing_code_bindings',
  'uploads',
  'payment_verifications',
  'inspection_tasks',
  'notifications',
  'audit_log',
]

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of TABLES) out[table] = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n
  return out
}

/** Rows the previous server would have written besides the seed: a decision in the audit trail. */
async function previousServersWork(db: Db): Promise<void> {
  await db.run(
    `INSERT INTO audit_log (at, actor_id, actor_name, actor_role, action, subject_type, subject_id, iso_id, before_json, after_json, reason)
     VALUES ('2026-12-01T08:00:00.000Z', 'acct-console', 'Administrator', 'admin', 'promotion.decide', 'promotion', 'prm-seed-warung', 'iso-lioncity', NULL, '{"status":"APPROVED"}', NULL)`,
  )
}

/** A SQLite file as the previous server made it: migrations 1 to 6, seeded. */
async function previousSqlite(file: string, now: Date) {
  const old = openSqlite(file)
  old.connection.transaction(() => {
    for (let version = 0; version < PREVIOUS; version++) MIGRATIONS[version](old.connection)
    old.connection.pragma(`user_version = ${PREVIOUS}`)
  })()
  await seedDatabase(old, now)
  return old
}

describe('upgrading a database of the previous schema', () => {
  const now = new Date('2026-12-01T08:00:00.000Z')

  it('SQLite: version 6 to the current version, every row kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-upgrade-'))
    try {
      const file = path.join(dir, 'old.sqlite')
      const old = await previousSqlite(file, now)
      await previousServersWork(old)
      const before = await counts(old)
      expect(before.promotions).toBeGreaterThan(0)
      await old.close()

      const db = await openDatabase(file, { clock: { now: () => now } })
      try {
        expect((db as ReturnType<typeof openSqlite>).connection.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
        expect(await counts(db)).toEqual(before)
        // the new table is there and empty
        expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM rate_limit_hits'))!.n).toBe(0)
      } finally {
        await db.close()
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('npm run migrate: version 6 to the current version without starting the server, then nothing to do', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-migrate-'))
    try {
      const file = path.join(dir, 'old.sqlite')
      const old = await previousSqlite(file, now)
      const before = await counts(old)
      await old.close()
      const run = () =>
        spawnSync(path.join(__dirname, '../../node_modules/.bin/tsx'), ['server/src/migrate.ts'], {
          cwd: path.join(__dirname, '../..'),
          env: { PATH: process.env.PATH, DB_PATH: file } as unknown as NodeJS.ProcessEnv,
          encoding: 'utf8',
        })
      const first = run()
      expect(first.status).toBe(0)
      expect(first.stdout).toContain(`schema version ${PREVIOUS} → ${SCHEMA_VERSION}`)
      expect(run().stdout).toContain(`schema version ${SCHEMA_VERSION}, nothing to do`)
      const db = openSqlite(file)
      expect(await counts(db)).toEqual(before)
      await db.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  const pgUrl = process.env.TEST_DATABASE_URL
  ;(pgUrl ? it : it.skip)('PostgreSQL: the baseline (version 6) to the current version, every row kept', async () => {
    const schema = `upgrade_${randomBytes(5).toString('hex')}`
    const old = await openPostgres(pgUrl!, { schema })
    try {
      await old.transaction(async () => {
        await old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
        const baseline = POSTGRES_MIGRATIONS.find((m) => m.version === PREVIOUS)!
        await old.exec(baseline.sql)
        await old.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [PREVIOUS, now.toISOString()])
      })
      await seedDatabase(old, now)
      await previousServersWork(old)
      const before = await counts(old)

      const db = await openDatabase(pgUrl!, { schema, clock: { now: () => now } })
      try {
        const versions = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
        expect(versions.map((v) => v.version)).toEqual([PREVIOUS, ...POSTGRES_MIGRATIONS.filter((m) => m.version > PREVIOUS).map((m) => m.version)])
        expect(versions.at(-1)!.version).toBe(SCHEMA_VERSION)
        expect(await counts(db)).toEqual(before)
      } finally {
        await db.close()
      }
    } finally {
      await old.exec(`DROP SCHEMA ${schema} CASCADE`)
      await old.close()
    }
  })
})
