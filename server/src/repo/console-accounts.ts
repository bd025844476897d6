import type { Db } from '../db'

export type ConsoleRole = 'iso_reviewer' | 'coordinator' | 'alipay_reviewer' | 'admin'
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['iso_reviewer', 'coordinator', 'alipay_reviewer', 'admin']

export interface ConsoleAccountRow {
  id: string
  username: string
  name: string
  role: ConsoleRole
  /** The ISO of an ISO reviewer; null for every other role. */
  iso_id: string | null
  /** The region of a regional coordinator; null for every other role. */
  region: string | null
  password_hash: string
  disabled_at: string | null
  created_at: string
  password_changed_at: string
  /** Their DingTalk user id in the organisation (work notifications of the method agreement); null: none. */
  dingtalk_user_id: string | null
  /** The language of their work notifications; null: English. */
  locale: string | null
}

export type NewConsoleAccount = Omit<ConsoleAccountRow, 'disabled_at' | 'password_changed_at' | 'dingtalk_user_id' | 'locale'> &
  Partial<Pick<ConsoleAccountRow, 'dingtalk_user_id' | 'locale'>>

export function createConsoleAccountRepo(db: Db) {
  return {
    insert: async (a: NewConsoleAccount): Promise<void> => {
      await db.run(
        `INSERT INTO console_accounts (id, username, name, role, iso_id, region, password_hash, created_at, password_changed_at, dingtalk_user_id, locale)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [a.id, a.username, a.name, a.role, a.iso_id, a.region, a.password_hash, a.created_at, a.created_at, a.dingtalk_user_id ?? null, a.locale ?? null],
      )
    },
    findById: (id: string): Promise<ConsoleAccountRow | undefined> => db.get<ConsoleAccountRow>('SELECT * FROM console_accounts WHERE id = ?', [id]),
    // ignores case on both engines (SQLite: ASCII letters only): SQLite's column is COLLATE NOCASE, PostgreSQL's unique index is on lower(username)
    findByUsername: (username: string): Promise<ConsoleAccountRow | undefined> =>
      db.get<ConsoleAccountRow>('SELECT * FROM console_accounts WHERE lower(username) = lower(?)', [username.trim()]),
    list: (): Promise<ConsoleAccountRow[]> => db.all<ConsoleAccountRow>('SELECT * FROM console_accounts ORDER BY role, lower(username)'),
    count: async (): Promise<number> => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM console_accounts'))?.n ?? 0,
    /** Enabled administrators. */
    activeAdmins: async (): Promise<number> =>
      (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM console_accounts WHERE role = 'admin' AND disabled_at IS NULL"))?.n ?? 0,
    setDisabled: async (id: string, at: string | null): Promise<boolean> =>
      (await db.run('UPDATE console_accounts SET disabled_at = ? WHERE id = ?', [at, id])).changes === 1,
    /** The DingTalk user and card language of an account; false when there is no such account. */
    setDingTalk: async (id: string, userId: string | null, locale: string | null): Promise<boolean> =>
      (await db.run('UPDATE console_accounts SET dingtalk_user_id = ?, locale = ? WHERE id = ?', [userId, locale, id])).changes === 1,
    /** The enabled accounts that may act on an ISO's agreement: its ISO reviewers, or its region's coordinators. */
    isoReviewersOf: (isoId: string): Promise<ConsoleAccountRow[]> =>
      db.all<ConsoleAccountRow>("SELECT * FROM console_accounts WHERE role = 'iso_reviewer' AND iso_id = ? AND disabled_at IS NULL ORDER BY id", [isoId]),
    coordinatorsOf: (region: string): Promise<ConsoleAccountRow[]> =>
      db.all<ConsoleAccountRow>("SELECT * FROM console_accounts WHERE role = 'coordinator' AND region = ? AND disabled_at IS NULL ORDER BY id", [region]),
    setPassword: async (id: string, hash: string, at: string): Promise<boolean> =>
      (await db.run('UPDATE console_accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?', [hash, at, id])).changes === 1,
  }
}

export type ConsoleAccountRepo = ReturnType<typeof createConsoleAccountRepo>
