import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { isValidInternationalPhone } from '../../packages/contract/rules/phone'
import { buildServer } from '../../server/src/app'
import { SettableClock } from '../../server/src/clock'
import { MIGRATIONS, openDatabase, type Db } from '../../server/src/db'
import { SEED_INSPECTION_PROMOTIONS, SEED_ISOS, SEED_PENDING_REQUEST, SEED_PROMOTION, SEED_STAFF } from '../../server/src/seed'
import { tempDir } from './helpers'

function counts(db: Db) {
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
  return { isos: count('isos'), staff: count('staff'), requests: count('association_requests') }
}

describe('database', () => {
  let temp: ReturnType<typeof tempDir>
  let dir: string
  beforeEach(() => {
    temp = tempDir()
    dir = temp.dir
  })
  afterEach(() => temp.cleanup())

  it('creates the folder, migrates and seeds a new database', () => {
    const dbPath = path.join(dir, 'nested', 'deeper', 'workspace.sqlite')
    const db = openDatabase(dbPath, { clock: new SettableClock('2025-01-01T00:00:00Z') })
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(counts(db)).toEqual({ isos: 2, staff: 6, requests: 1 })
      expect(db.prepare("SELECT created_at FROM staff WHERE id = 'staff-chen'").get()).toEqual({ created_at: '2025-01-01T00:00:00.000Z' })
    } finally {
      db.close()
    }
  })

  it('is idempotent: opening twice seeds once and keeps changes', () => {
    const dbPath = path.join(dir, 'workspace.sqlite')
    const first = openDatabase(dbPath)
    first.prepare("UPDATE staff SET name = 'Aisyah R.' WHERE id = 'staff-aisyah'").run()
    first.prepare('DELETE FROM association_requests WHERE id = ?').run(SEED_PENDING_REQUEST.id)
    first.close()

    const second = openDatabase(dbPath)
    try {
      expect(second.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(counts(second)).toEqual({ isos: 2, staff: 6, requests: 0 })
      expect(second.prepare("SELECT name FROM staff WHERE id = 'staff-aisyah'").get()).toEqual({ name: 'Aisyah R.' })
    } finally {
      second.close()
    }
  })

  it('is idempotent through buildServer too', async () => {
    const dbPath = path.join(dir, 'workspace.sqlite')
    for (let i = 0; i < 2; i++) {
      const app = await buildServer({ dbPath, dev: true })
      await app.close()
    }
    const db = new Database(dbPath, { readonly: true })
    try {
      expect(counts(db)).toEqual({ isos: 2, staff: 6, requests: 1 })
    } finally {
      db.close()
    }
  })

  it('closes the database when the server closes', async () => {
    const dbPath = path.join(dir, 'workspace.sqlite')
    const app = await buildServer({ dbPath, dev: true })
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(true)
    await app.close()
    // SQLite checkpoints and removes the WAL file when the last connection closes
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(false)
  })

  it('refuses a database written by a newer server', () => {
    const dbPath = path.join(dir, 'workspace.sqlite')
    const raw = new Database(dbPath)
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    raw.close()
    expect(() => openDatabase(dbPath)).toThrow(/newer than this server/)
  })

  it('enforces the schema rules', () => {
    const db = openDatabase(path.join(dir, 'workspace.sqlite'))
    try {
      expect(() => db.prepare("UPDATE staff SET association_status = 'friends' WHERE id = 'staff-chen'").run()).toThrow(/CHECK/)
      expect(() => db.prepare("UPDATE staff SET iso_id = 'iso-nope' WHERE id = 'staff-chen'").run()).toThrow(/FOREIGN KEY/)
      expect(() =>
        db.prepare("INSERT INTO isos VALUES ('iso-x', 'X', 'OPS@LIONCITYPAY.EXAMPLE', 'VERIFY_THEN_DEPLOY', 'UTC', 1, '2025-01-01', NULL, 'SEA')").run(),
      ).toThrow(/UNIQUE/)
      expect(() =>
        db
          .prepare(
            "INSERT INTO association_requests (id, staff_id, iso_id, iso_email, name, phone_e164, status, created_at) VALUES ('r2', 'staff-emily', 'iso-lioncity', 'e', 'n', 'p', 'pending', 'now')",
          )
          .run(),
      ).toThrow(/UNIQUE/)
    } finally {
      db.close()
    }
  })
})

describe('migration 2 (promotions)', () => {
  let temp: ReturnType<typeof tempDir>
  beforeEach(() => {
    temp = tempDir()
  })
  afterEach(() => temp.cleanup())

  it('upgrades a version-1 database without seeding it again', () => {
    const dbPath = path.join(temp.dir, 'workspace.sqlite')
    const v1 = new Database(dbPath)
    MIGRATIONS[0](v1)
    v1.prepare("INSERT INTO isos VALUES ('iso-x', 'X', 'x@x.example', 'VERIFY_THEN_DEPLOY', 'UTC', 2, '2025-01-01')").run()
    v1.pragma('user_version = 1')
    v1.close()

    const db = openDatabase(dbPath)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(counts(db)).toEqual({ isos: 1, staff: 0, requests: 0 })
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((r) => (r as { name: string }).name)
      expect(tables).toEqual(expect.arrayContaining(['uploads', 'payment_verifications', 'promotions', 'promotion_spots', 'marketing_code_bindings']))
      expect(db.prepare('SELECT COUNT(*) AS n FROM promotions').get()).toEqual({ n: 0 })
      const indexes = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'uploads'")
        .all()
        .map((r) => (r as { name: string }).name)
      expect(indexes).toContain('uploads_sha256')
    } finally {
      db.close()
    }
  })

  it('seeds an approved promotion with a bound code, and enforces the promotion rules', () => {
    const db = openDatabase(path.join(temp.dir, 'workspace.sqlite'))
    try {
      expect(db.prepare('SELECT promotion_id, spot_idx FROM marketing_code_bindings WHERE code = ?').get(SEED_PROMOTION.boundCode)).toEqual({
        promotion_id: SEED_PROMOTION.id,
        spot_idx: 0,
      })
      const insertPromotion = (id: string, clientId: string) =>
        db
          .prepare(
            `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, created_at)
             VALUES (?, ?, 'staff-chen', 'iso-lioncity', 'PRIMARY_POSM', 'VERIFY_THEN_DEPLOY', 'PENDING_REVIEW', '{}', '{}', 'now')`,
          )
          .run(id, clientId)
      expect(() => insertPromotion('prm-x', SEED_PROMOTION.clientId)).toThrow(/UNIQUE/)
      expect(() => db.prepare(`UPDATE promotions SET status = 'LOST' WHERE id = ?`).run(SEED_PROMOTION.id)).toThrow(/CHECK/)
      expect(() =>
        db
          .prepare(`INSERT INTO marketing_code_bindings (code, promotion_id, spot_idx, bound_at) VALUES (?, ?, 0, 'now')`)
          .run(SEED_PROMOTION.boundCode, SEED_PROMOTION.id),
      ).toThrow(/UNIQUE|PRIMARY KEY/)
      expect(() => db.prepare(`UPDATE uploads SET mime = 'text/html' WHERE id = 'upl-seed-storefront'`).run()).toThrow(/CHECK/)
      expect(() =>
        db
          .prepare(
            `INSERT INTO promotion_spots (promotion_id, idx, position, photo_id, marketing_code, material_type) VALUES (?, 1, 'WALL', 'upl-seed-spot-1', 'APMC0000000002', 'STICKER')`,
          )
          .run(SEED_PROMOTION.id),
      ).toThrow(/CHECK/)
    } finally {
      db.close()
    }
  })
})

describe('migration 3 (review results)', () => {
  let temp: ReturnType<typeof tempDir>
  beforeEach(() => {
    temp = tempDir()
  })
  afterEach(() => temp.cleanup())

  it('upgrades a version-2 database: decision times and updated_at backfilled, appeals and resubmissions added', () => {
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

    const db = openDatabase(dbPath)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(db.prepare("SELECT store_decided_at, updated_at FROM promotions WHERE id = 'p1'").get()).toEqual({
        store_decided_at: '2025-01-03T00:00:00.000Z',
        updated_at: '2025-01-03T00:00:00.000Z',
      })
      expect(db.prepare("SELECT decided_at FROM promotion_spots WHERE promotion_id = 'p1'").get()).toEqual({ decided_at: '2025-01-03T00:00:00.000Z' })
      const insertAppeal = db.prepare(
        "INSERT INTO appeals (id, promotion_id, staff_id, client_id, reason, created_at) VALUES (?, 'p1', 's1', ?, 'Please look again at it', 'now')",
      )
      insertAppeal.run('a1', 'client-1')
      expect(() => insertAppeal.run('a2', 'client-1')).toThrow(/UNIQUE/)
      // at most one open appeal per promotion
      expect(() => insertAppeal.run('a3', 'client-3')).toThrow(/UNIQUE/)
      expect(() => db.prepare("UPDATE appeals SET status = 'MAYBE' WHERE id = 'a1'").run()).toThrow(/CHECK/)
      const insertResubmission = db.prepare("INSERT INTO resubmissions (id, promotion_id, client_id, created_at) VALUES (?, 'p1', 'client-9', 'now')")
      insertResubmission.run('r1')
      expect(() => insertResubmission.run('r2')).toThrow(/UNIQUE/)
    } finally {
      db.close()
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

describe('migration 4 (spot inspection)', () => {
  let temp: ReturnType<typeof tempDir>
  beforeEach(() => {
    temp = tempDir()
  })
  afterEach(() => temp.cleanup())

  it('upgrades a version-3 database without inserting tasks', () => {
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

    const db = openDatabase(dbPath)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      expect(db.prepare('SELECT COUNT(*) AS n FROM inspection_tasks').get()).toEqual({ n: 0 })
      expect(db.prepare("SELECT promotion_id, inspection_id FROM uploads WHERE id = 'u1'").get()).toEqual({ promotion_id: null, inspection_id: null })
      const columns = db
        .prepare("SELECT name FROM pragma_table_info('payment_verifications')")
        .all()
        .map((r) => (r as { name: string }).name)
      expect(columns).toContain('inspection_id')
    } finally {
      db.close()
    }
  })

  it('seeds TO_DO tasks due a few days after the seed time in the ISO’s time zone, and enforces the task rules', () => {
    // 20:00 UTC on 1 January: already 2 January in Singapore (04:00) and Jakarta (03:00)
    const db = openDatabase(path.join(temp.dir, 'workspace.sqlite'), { clock: new SettableClock('2025-01-01T20:00:00.000Z') })
    try {
      expect(db.prepare('SELECT id, promotion_id, staff_id, status, due_date FROM inspection_tasks ORDER BY id').all()).toEqual([
        { id: 'ins-seed-kopi', promotion_id: 'prm-seed-kopi', staff_id: 'staff-chen', status: 'TO_DO', due_date: '2025-01-05' },
        { id: 'ins-seed-laksa', promotion_id: 'prm-seed-laksa', staff_id: 'staff-chen', status: 'TO_DO', due_date: '2025-01-07' },
        { id: 'ins-seed-warung', promotion_id: 'prm-seed-warung', staff_id: 'staff-dao', status: 'TO_DO', due_date: '2025-01-06' },
      ])
      for (const p of SEED_INSPECTION_PROMOTIONS) expect(isValidInternationalPhone(p.merchant.contactPhone)).toBe(true)
      expect(
        db.prepare("SELECT code, promotion_id, spot_idx FROM marketing_code_bindings WHERE promotion_id = 'prm-seed-laksa' ORDER BY spot_idx").all(),
      ).toEqual([
        { code: 'APMC0000000002', promotion_id: 'prm-seed-laksa', spot_idx: 0 },
        { code: 'APMC0000000003', promotion_id: 'prm-seed-laksa', spot_idx: 1 },
      ])
      expect(() => db.prepare("UPDATE inspection_tasks SET status = 'DONE' WHERE id = 'ins-seed-kopi'").run()).toThrow(/CHECK/)
      // a submitted task has a result
      expect(() => db.prepare("UPDATE inspection_tasks SET status = 'SUBMITTED' WHERE id = 'ins-seed-kopi'").run()).toThrow(/CHECK/)
      expect(() => db.prepare("UPDATE inspection_tasks SET staff_id = 'staff-nope' WHERE id = 'ins-seed-kopi'").run()).toThrow(/FOREIGN KEY/)
      db.prepare("UPDATE inspection_tasks SET client_id = 'c-1' WHERE id = 'ins-seed-kopi'").run()
      expect(() => db.prepare("UPDATE inspection_tasks SET client_id = 'c-1' WHERE id = 'ins-seed-laksa'").run()).toThrow(/UNIQUE/)
    } finally {
      db.close()
    }
  })
})
