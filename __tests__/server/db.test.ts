import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { isValidInternationalPhone } from '../../src/rules/phone'
import { buildServer } from '../../server/src/app'
import { SettableClock } from '../../server/src/clock'
import { MIGRATIONS, openDatabase, type Db } from '../../server/src/db'
import { SEED_ISOS, SEED_PENDING_REQUEST, SEED_STAFF } from '../../server/src/seed'
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
    first.prepare("DELETE FROM association_requests WHERE id = ?").run(SEED_PENDING_REQUEST.id)
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
        db.prepare("INSERT INTO isos VALUES ('iso-x', 'X', 'OPS@LIONCITYPAY.EXAMPLE', 'VERIFY_THEN_DEPLOY', 'UTC', 1, '2025-01-01')").run(),
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

describe('seed data', () => {
  it.each(SEED_STAFF.map((s) => [s.name, s.phone]))('%s has a valid international phone (%s)', (_name, phone) => {
    expect(isValidInternationalPhone(phone)).toBe(true)
  })

  it('links staff to seeded ISOs only', () => {
    const isoIds = new Set(SEED_ISOS.map((i) => i.id))
    for (const s of SEED_STAFF) if (s.isoId) expect(isoIds.has(s.isoId)).toBe(true)
  })
})
