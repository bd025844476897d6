import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { systemClock, type Clock } from './clock'
import { seedDatabase } from './seed'

export type Db = Database.Database

/**
 * Schema migrations, applied in order. `PRAGMA user_version` records how many have run; never edit a
 * migration that has shipped, append a new one.
 */
export const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  // 1: ISOs, staff, association requests, sessions, used DingTalk auth codes
  (db) =>
    db.exec(`
      CREATE TABLE isos (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        deployment_method TEXT NOT NULL CHECK (deployment_method IN ('VERIFY_THEN_DEPLOY', 'DEPLOY_THEN_VERIFY')),
        timezone TEXT NOT NULL,
        max_spots_per_store INTEGER NOT NULL CHECK (max_spots_per_store > 0),
        created_at TEXT NOT NULL
      );

      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        phone_e164 TEXT NOT NULL,
        iso_id TEXT NULL REFERENCES isos(id),
        association_status TEXT NOT NULL DEFAULT 'none'
          CHECK (association_status IN ('none', 'invited', 'pending', 'rejected', 'approved', 'associated')),
        test_account_email TEXT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE association_requests (
        id TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        iso_id TEXT NULL REFERENCES isos(id),
        iso_email TEXT NOT NULL,
        name TEXT NOT NULL,
        phone_e164 TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        reason TEXT NULL,
        created_at TEXT NOT NULL,
        decided_at TEXT NULL
      );
      CREATE INDEX association_requests_staff ON association_requests(staff_id, created_at);
      CREATE INDEX association_requests_status ON association_requests(status, created_at);
      -- at most one pending request per staff member, whatever the code above does
      CREATE UNIQUE INDEX association_requests_one_pending ON association_requests(staff_id) WHERE status = 'pending';

      -- the bearer token itself is never stored, only its SHA-256
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions(expires_at);

      CREATE TABLE used_auth_codes (
        code TEXT PRIMARY KEY,
        used_at TEXT NOT NULL
      );
    `),
]

export interface OpenDatabaseOptions {
  clock?: Clock
  /** Seed the demo data when the database is new (default true). */
  seed?: boolean
}

/** Opens (creating if needed) the SQLite file, applies pending migrations and seeds a new database. */
export function openDatabase(dbPath: string, { clock = systemClock, seed = true }: OpenDatabaseOptions = {}): Db {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true })
  const db = new Database(dbPath)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, { clock, seed })
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

/** Applies the migrations not yet recorded in `user_version`, all in one transaction. */
export function migrate(db: Db, { clock = systemClock, seed = true }: OpenDatabaseOptions = {}): { from: number; to: number } {
  const run = db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number
    if (from > MIGRATIONS.length) {
      throw new Error(`Database schema version ${from} is newer than this server (${MIGRATIONS.length}); update the server.`)
    }
    for (let version = from; version < MIGRATIONS.length; version++) MIGRATIONS[version](db)
    db.pragma(`user_version = ${MIGRATIONS.length}`)
    if (from === 0 && seed) seedDatabase(db, clock.now())
    return { from, to: MIGRATIONS.length }
  })
  // IMMEDIATE: take the write lock before reading user_version, so two processes cannot both migrate.
  return run.immediate()
}
