import type { Db } from '../db'

/** A staff member's Alipay test account: the password only sealed (test-accounts/crypto.ts). */
export interface TestAccountRow {
  staff_id: string
  iso_id: string
  email: string
  /** v1.<iv>.<tag>.<ciphertext>; null: an email moved from before encryption, no password yet. */
  password_sealed: string | null
  updated_at: string
  updated_by_id: string
  updated_by_name: string
}

export interface TestAccountWrite {
  staffId: string
  isoId: string
  email: string
  passwordSealed: string | null
  at: string
  byId: string
  byName: string
}

export function createTestAccountRepo(db: Db) {
  return {
    findByStaff: (staffId: string): Promise<TestAccountRow | undefined> => db.get<TestAccountRow>('SELECT * FROM test_accounts WHERE staff_id = ?', [staffId]),
    /** Assigns or replaces the staff member's account (one per staff member). */
    put: async (w: TestAccountWrite): Promise<void> => {
      await db.run(
        `INSERT INTO test_accounts (staff_id, iso_id, email, password_sealed, updated_at, updated_by_id, updated_by_name)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (staff_id) DO UPDATE SET iso_id = excluded.iso_id, email = excluded.email, password_sealed = excluded.password_sealed,
           updated_at = excluded.updated_at, updated_by_id = excluded.updated_by_id, updated_by_name = excluded.updated_by_name`,
        [w.staffId, w.isoId, w.email, w.passwordSealed, w.at, w.byId, w.byName],
      )
    },
    remove: async (staffId: string): Promise<boolean> => (await db.run('DELETE FROM test_accounts WHERE staff_id = ?', [staffId])).changes > 0,
  }
}

export type TestAccountRepo = ReturnType<typeof createTestAccountRepo>
