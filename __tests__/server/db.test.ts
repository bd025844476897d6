import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { isValidInternationalPhone } from '../../packages/contract/rules/phone'
import { buildServer } from '../../server/src/app'
import { SettableClock } from '../../server/src/clock'
import type { SqliteDb } from '../../server/src/database/sqlite'
import { MIGRATIONS, openDatabase, SCHEMA_VERSION, type Db } from '../../server/src/db'
import { SEED_INSPECTION_PROMOTIONS, SEED_ISOS, SEED_PENDING_REQUEST, SEED_PROMOTION, SEED_STAFF } from '../../server/src/seed'
import { columnNames, describeSqliteOnly, itSqliteOnly, rejectionOf, tableNames, testDatabaseIn, type TestDatabase } from './engine'
import { tempDir } from './helpers'

async function counts(db: Db) {
  const count = async (table: string) => (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n
  return { isos: await count('isos'), staff: await count('staff'), requests: await count('association_requests') }
}

/** The better-sqlite3 connection of a SQLite database (tests of the file itself). */
const sqlite = (db: Db) => (db as SqliteDb).connection

/** A test database of this run's engine in a temporary folder, removed (and dropped) after each test. */
function databases() {
  let temp: ReturnType<typeof tempDir>
  let made: TestDatabase[] = []
  beforeEach(() => {
    temp = tempDir()
    made = []
  })
  afterEach(async () => {
    for (const database of made) await database.drop()
    temp.cleanup()
  })
  return {
    dir: () => temp.dir,
    /** A new database (SQLite: the file `name` in the folder). */
    make(name = 'workspace.sqlite'): TestDatabase {
      const database = testDatabaseIn(temp.dir, name)
      made.push(database)
      return database
    },
  }
}

/** Expects a statement to be refused by the schema (SQLite's and PostgreSQL's words for the rule both match). */
async function expectRefused(statement: Promise<unknown>, rule: RegExp): Promise<void> {
  expect(await rejectionOf(statement)).toMatch(new RegExp(rule.source, 'i'))
}

describe('database', () => {
  const dbs = databases()

  it('migrates and seeds a new database', async () => {
    const db = await dbs.make().open({ clock: new SettableClock('2025-01-01T00:00:00Z') })
    try {
      expect(await counts(db)).toEqual({ isos: 2, staff: 6, requests: 1 })
      expect(await db.get("SELECT created_at FROM staff WHERE id = 'staff-chen'")).toEqual({ created_at: '2025-01-01T00:00:00.000Z' })
      if (db.engine === 'postgres') {
        expect(await db.get('SELECT MAX(version) AS version FROM schema_migrations')).toEqual({ version: SCHEMA_VERSION })
      }
    } finally {
      await db.close()
    }
  })

  it('has every table on this engine', async () => {
    const db = await dbs.make().open({ seed: false })
    try {
      expect(await tableNames(db)).toEqual(
        expect.arrayContaining([
          'isos',
          'staff',
          'association_requests',
          'sessions',
          'promotions',
          'uploads',
          'appeals',
          'inspection_tasks',
          'notifications',
          'console_accounts',
          'audit_log',
          'rate_limit_hits',
        ]),
      )
    } finally {
      await db.close()
    }
  })

  itSqliteOnly('creates the SQLite file’s folder, in WAL mode with foreign keys on, at the current user_version', async () => {
    const dbPath = path.join(dbs.dir(), 'nested', 'deeper', 'workspace.sqlite')
    const db = await openDatabase(dbPath)
    try {
      expect(fs.existsSync(dbPath)).toBe(true)
      expect(sqlite(db).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(sqlite(db).pragma('journal_mode', { simple: true })).toBe('wal')
      expect(sqlite(db).pragma('foreign_keys', { simple: true })).toBe(1)
    } finally {
      await db.close()
    }
  })

  it('is idempotent: opening twice seeds once and keeps changes', async () => {
    const database = dbs.make()
    const first = await database.open()
    await first.run("UPDATE staff SET name = 'Aisyah R.' WHERE id = 'staff-aisyah'")
    await first.run('DELETE FROM association_requests WHERE id = ?', [SEED_PENDING_REQUEST.id])
    await first.close()

    const second = await database.open()
    try {
      if (second.engine === 'sqlite') expect(sqlite(second).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(await counts(second)).toEqual({ isos: 2, staff: 6, requests: 0 })
      expect(await second.get("SELECT name FROM staff WHERE id = 'staff-aisyah'")).toEqual({ name: 'Aisyah R.' })
    } finally {
      await second.close()
    }
  })

  it('is idempotent through buildServer too', async () => {
    const database = dbs.make()
    for (let i = 0; i < 2; i++) {
      const app = await buildServer({ ...database.serverOptions, dev: true, staticDir: null, uploadDir: path.join(dbs.dir(), 'uploads') })
      await app.close()
    }
    const db = await database.connect()
    try {
      expect(await counts(db)).toEqual({ isos: 2, staff: 6, requests: 1 })
    } finally {
      await db.close()
    }
  })

  itSqliteOnly('closes the database when the server closes', async () => {
    const dbPath = path.join(dbs.dir(), 'workspace.sqlite')
    const app = await buildServer({ dbPath, dev: true })
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(true)
    await app.close()
    // SQLite checkpoints and removes the WAL file when the last connection closes
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(false)
  })

  it('refuses a database written by a newer server', async () => {
    const database = dbs.make()
    if (database.engine === 'sqlite') {
      const raw = new Database(database.dbPath)
      raw.pragma(`user_version = ${MIGRATIONS.length + 1}`)
      raw.close()
    } else {
      const db = await database.open()
      await db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [SCHEMA_VERSION + 1, new Date().toISOString()])
      await db.close()
    }
    expect(await rejectionOf(database.open())).toMatch(/newer than this server/)
  })

  it('enforces the schema rules', async () => {
    const db = await dbs.make().open()
    try {
      await expectRefused(db.run("UPDATE staff SET association_status = 'friends' WHERE id = 'staff-chen'"), /CHECK/)
      await expectRefused(db.run("UPDATE staff SET iso_id = 'iso-nope' WHERE id = 'staff-chen'"), /FOREIGN KEY/)
      // ISO emails are unique whatever their case
      await expectRefused(
        db.run(
          "INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at, dingtalk_dept_id, region) VALUES ('iso-x', 'X', 'OPS@LIONCITYPAY.EXAMPLE', 'VERIFY_THEN_DEPLOY', 'UTC', 1, '2025-01-01', NULL, 'SEA')",
        ),
        /UNIQUE/,
      )
      await expectRefused(
        db.run(
          "INSERT INTO association_requests (id, staff_id, iso_id, iso_email, name, phone_e164, status, created_at) VALUES ('r2', 'staff-emily', 'iso-lioncity', 'e', 'n', 'p', 'pending', 'now')",
        ),
        /UNIQUE/,
      )
    } finally {
      await db.close()
    }
  })
})

describeSqliteOnly('SQLite migration 2 (promotions)', () => {
  let temp: ReturnType<typeof tempDir>
  beforeEach(() => {
    temp = tempDir()
  })
  afterEach(() => temp.cleanup())

  it('upgrades a version-1 database without seeding it again', async () => {
    const dbPath = path.join(temp.dir, 'workspace.sqlite')
    const v1 = new Database(dbPath)
    MIGRATIONS[0](v1)
    v1.prepare("INSERT INTO isos VALUES ('iso-x', 'X', 'x@x.example', 'VERIFY_THEN_DEPLOY', 'UTC', 2, '2025-01-01')").run()
    v1.pragma('user_version = 1')
    v1.close()

    const db = await openDatabase(dbPath)
    try {
      expect(sqlite(db).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(await counts(db)).toEqual({ isos: 1, staff: 0, requests: 0 })
      expect(await tableNames(db)).toEqual(
        expect.arrayContaining(['uploads', 'payment_verifications', 'promotions', 'promotion_spots', 'marketing_code_bindings']),
      )
      expect(await db.get('SELECT COUNT(*) AS n FROM promotions')).toEqual({ n: 0 })
      const indexes = (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'uploads'")).map((r) => r.name)
      expect(indexes).toContain('uploads_sha256')
    } finally {
      await db.close()
    }
  })
})

describe('migration 2 (promotions)', () => {
  const dbs = databases()

  it('seeds an approved promotion with a bound code, and enforces the promotion rules', async () => {
    const db = await dbs.make().open()
    try {
      expect(await db.get('SELECT promotion_id, spot_idx FROM marketing_code_bindings WHERE code = ?', [SEED_PROMOTION.boundCode])).toEqual({
        promotion_id: SEED_PROMOTION.id,
        spot_idx: 0,
      })
      const insertPromotion = (id: string, clientId: string) =>
        db.run(
          `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, created_at)
           VALUES (?, ?, 'staff-chen', 'iso-lioncity', 'PRIMARY_POSM', 'VERIFY_THEN_DEPLOY', 'PENDING_REVIEW', '{}', '{}', 'now')`,
          [id, clientId],
        )
      await expectRefused(insertPromotion('prm-x', SEED_PROMOTION.clientId), /UNIQUE/)
      await expectRefused(db.run(`UPDATE promotions SET status = 'LOST' WHERE id = ?`, [SEED_PROMOTION.id]), /CHECK/)
      await expectRefused(
        db.run(`INSERT INTO marketing_code_bindings (code, promotion_id, spot_idx, bound_at) VALUES (?, ?, 0, 'now')`, [
          SEED_PROMOTION.boundCode,
          SEED_PROMOTION.id,
        ]),
        /UNIQUE|PRIMARY KEY|duplicate key/,
      )
      await expectRefused(db.run(`UPDATE uploads SET mime = 'text/html' WHERE id = 'upl-seed-storefront'`), /CHECK/)
      await expectRefused(
        db.run(
          `INSERT INTO promotion_spots (promotion_id, idx, position, photo_id, marketing_code, material_type) VALUES (?, 1, 'WALL', 'upl-seed-spot-1', 'APMC0000000002', 'STICKER')`,
          [SEED_PROMOTION.id],
        ),
        /CHECK/,
      )
    } finally {
      await db.close()
    }
  })
})

describeSqliteOnly('SQLite migration 3 (review results)', () => {
  let temp: ReturnType<typeof tempDir>
  beforeEach(() => {
    temp = tempDir()
  })
  afterEach(() => temp.cleanup())

  it('upgrades a version-2 database: decision times and updated_at backfilled, appeals and resubmissions added', async () => {
    const dbPath = path.join(temp.dir, 'workspace.sqlite')
    const v2 = new Database(dbPath)
    MIGRATIONS[0](v2)
    MIGRATIONS[1](v2)
    v2.exec(`
      INSERT INTO isos VALUES ('iso-x', 'X', 'x@x.example', 'VERIFY_THEN_DEPLOY', 'UTC', 2, '2025-01-01');
      INSERT INTO staff (id, name, phone_e164, iso_id, association_status, created_at) VALUES ('s1', 'S', '+6591234567', 'iso-x', 'associated', '2025-01-01');
      INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, created_at) VALUES ('u1', 's1', 'h', 'image/png', 1, 'a.png', '2025-01-01');
      INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, store_review_status, created_at, submitted_at, decided_at)
        VALUES ('p1', 'c1', 's1', 'iso-x', 'PRIMARY_POSM', 'VERIFY_THEN_DEPLOY', 'APPROVED', '{}', '{}', 'APPROVED', '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z');
      INSERT INTO promotion_spots (promotion_id, idx, position, photo_id, material_type, review_status) VALUES ('p1', 0, 'WALL', 'u1', 'STICKER', 'APPROVED');
    `)
    v2.pragma('user_version = 2')
    v2.close()

    const db = await openDatabase(dbPath)
    try {
      expect(sqlite(db).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(await db.get("SELECT store_decided_at, updated_at FROM promotions WHERE id = 'p1'")).toEqual({
        store_decided_at: '2025-01-03T00:00:00.000Z',
        updated_at: '2025-01-03T00:00:00.000Z',
      })
      expect(await db.get("SELECT decided_at FROM promotion_spots WHERE promotion_id = 'p1'")).toEqual({ decided_at: '2025-01-03T00:00:00.000Z' })
      await checkAppealRules(db)
    } finally {
      await db.close()
    }
  })
})

/** Appeals and resubmissions of the promotion 'p1' of the staff member 's1': the rules of migration 3. */
async function checkAppealRules(db: Db): Promise<void> {
  const insertAppeal = (id: string, clientId: string) =>
    db.run("INSERT INTO appeals (id, promotion_id, staff_id, client_id, reason, created_at) VALUES (?, 'p1', 's1', ?, 'Please look again at it', 'now')", [
      id,
      clientId,
    ])
  await insertAppeal('a1', 'client-1')
  await expectRefused(insertAppeal('a2', 'client-1'), /UNIQUE/)
  // at most one open appeal per promotion
  await expectRefused(insertAppeal('a3', 'client-3'), /UNIQUE/)
  await expectRefused(db.run("UPDATE appeals SET status = 'MAYBE' WHERE id = 'a1'"), /CHECK/)
  const insertResubmission = (id: string) =>
    db.run("INSERT INTO resubmissions (id, promotion_id, client_id, created_at) VALUES (?, 'p1', 'client-9', 'now')", [id])
  await insertResubmission('r1')
  await expectRefused(insertResubmission('r2'), /UNIQUE/)
}

describe('migration 3 (review results)', () => {
  const dbs = databases()

  it('enforces the appeal and resubmission rules', async () => {
    const db = await dbs.make().open({ seed: false })
    try {
      await db.run(
        "INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at) VALUES ('iso-x', 'X', 'x@x.example', 'VERIFY_THEN_DEPLOY', 'UTC', 2, '2025-01-01')",
      )
      await db.run(
        "INSERT INTO staff (id, name, phone_e164, iso_id, association_status, created_at) VALUES ('s1', 'S', '+6591234567', 'iso-x', 'associated', '2025-01-01')",
      )
      await db.run(
        `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, store_review_status, created_at, submitted_at, decided_at)
         VALUES ('p1', 'c1', 's1', 'iso-x', 'PRIMARY_POSM', 'VERIFY_THEN_DEPLOY', 'REJECTED', '{}', '{}', 'REJECTED', '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z')`,
      )
      await checkAppealRules(db)
    } finally {
      await db.close()
    }
  })
})

describe('seed data', () => {
  it.each(SEED_STAFF.map((s) => [s.name, s.phone]))('%s has a valid international phone (%s)', (_name, phone) => {
    expect(isValidInternationalPhone(phone)).toBe(true)
  })

  it('has a valid merchant phone on the seeded promotion', () => {
    expect(isValidInternationalPhone(SEED_PROMOTION.merchant.contactPhone)).toBe(true)
  })

  it('links staff to seeded ISOs only', () => {
    const isoIds = new Set(SEED_ISOS.map((i) => i.id))
    for (const s of SEED_STAFF) if (s.isoId) expect(isoIds.has(s.isoId)).toBe(true)
  })
})

describeSqliteOnly('SQLite migration 4 (spot inspection)', () => {
  let temp: ReturnType<typeof tempDir>
  beforeEach(() => {
    temp = tempDir()
  })
  afterEach(() => temp.cleanup())

  it('upgrades a version-3 database without inserting tasks', async () => {
    const dbPath = path.join(temp.dir, 'workspace.sqlite')
    const v3 = new Database(dbPath)
    for (const m of MIGRATIONS.slice(0, 3)) m(v3)
    v3.exec(`
      INSERT INTO isos VALUES ('iso-x', 'X', 'x@x.example', 'VERIFY_THEN_DEPLOY', 'UTC', 2, '2025-01-01');
      INSERT INTO staff (id, name, phone_e164, iso_id, association_status, created_at) VALUES ('s1', 'S', '+6591234567', 'iso-x', 'associated', '2025-01-01');
      INSERT INTO uploads (id, staff_id, sha256, mime, size, stored_name, created_at) VALUES ('u1', 's1', 'h', 'image/png', 1, 'a.png', '2025-01-01');
    `)
    v3.pragma('user_version = 3')
    v3.close()

    const db = await openDatabase(dbPath)
    try {
      expect(sqlite(db).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(await db.get('SELECT COUNT(*) AS n FROM inspection_tasks')).toEqual({ n: 0 })
      expect(await db.get("SELECT promotion_id, inspection_id FROM uploads WHERE id = 'u1'")).toEqual({ promotion_id: null, inspection_id: null })
      expect(await columnNames(db, 'payment_verifications')).toContain('inspection_id')
    } finally {
      await db.close()
    }
  })
})

describe('migration 4 (spot inspection)', () => {
  const dbs = databases()

  it('seeds TO_DO tasks due a few days after the seed time in the ISO’s time zone, and enforces the task rules', async () => {
    // 20:00 UTC on 1 January: already 2 January in Singapore (04:00) and Jakarta (03:00)
    const db = await dbs.make().open({ clock: new SettableClock('2025-01-01T20:00:00.000Z') })
    try {
      expect(await db.all('SELECT id, promotion_id, staff_id, status, due_date FROM inspection_tasks ORDER BY id')).toEqual([
        { id: 'ins-seed-kopi', promotion_id: 'prm-seed-kopi', staff_id: 'staff-chen', status: 'TO_DO', due_date: '2025-01-05' },
        { id: 'ins-seed-laksa', promotion_id: 'prm-seed-laksa', staff_id: 'staff-chen', status: 'TO_DO', due_date: '2025-01-07' },
        { id: 'ins-seed-warung', promotion_id: 'prm-seed-warung', staff_id: 'staff-dao', status: 'TO_DO', due_date: '2025-01-06' },
      ])
      for (const p of SEED_INSPECTION_PROMOTIONS) expect(isValidInternationalPhone(p.merchant.contactPhone)).toBe(true)
      expect(await db.all("SELECT code, promotion_id, spot_idx FROM marketing_code_bindings WHERE promotion_id = 'prm-seed-laksa' ORDER BY spot_idx")).toEqual([
        { code: 'APMC0000000002', promotion_id: 'prm-seed-laksa', spot_idx: 0 },
        { code: 'APMC0000000003', promotion_id: 'prm-seed-laksa', spot_idx: 1 },
      ])
      await expectRefused(db.run("UPDATE inspection_tasks SET status = 'DONE' WHERE id = 'ins-seed-kopi'"), /CHECK/)
      // a submitted task has a result
      await expectRefused(db.run("UPDATE inspection_tasks SET status = 'SUBMITTED' WHERE id = 'ins-seed-kopi'"), /CHECK/)
      await expectRefused(db.run("UPDATE inspection_tasks SET staff_id = 'staff-nope' WHERE id = 'ins-seed-kopi'"), /FOREIGN KEY/)
      await db.run("UPDATE inspection_tasks SET client_id = 'c-1' WHERE id = 'ins-seed-kopi'")
      await expectRefused(db.run("UPDATE inspection_tasks SET client_id = 'c-1' WHERE id = 'ins-seed-laksa'"), /UNIQUE/)
    } finally {
      await db.close()
    }
  })
})
