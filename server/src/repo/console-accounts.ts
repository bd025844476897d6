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
}

export type NewConsoleAccount = Omit<ConsoleAccountRow, 'disabled_at' | 'password_changed_at'>

export function createConsoleAccountRepo(db: Db) {
  const insert = db.prepare<[string, string, string, string, string | null, string | null, string, string, string]>(
    `INSERT INTO console_accounts (id, username, name, role, iso_id, region, password_hash, created_at, password_changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const byId = db.prepare<[string], ConsoleAccountRow>('SELECT * FROM console_accounts WHERE id = ?')
  // `username` is declared COLLATE NOCASE
  const byUsername = db.prepare<[string], ConsoleAccountRow>('SELECT * FROM console_accounts WHERE username = ?')
  const all = db.prepare<[], ConsoleAccountRow>('SELECT * FROM console_accounts ORDER BY role, username')
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM console_accounts')
  const countAdmins = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM console_accounts WHERE role = 'admin' AND disabled_at IS NULL")
  const setDisabled = db.prepare<[string | null, string]>('UPDATE console_accounts SET disabled_at = ? WHERE id = ?')
  const setPassword = db.prepare<[string, string, string]>('UPDATE console_accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?')

  return {
    insert: (a: NewConsoleAccount): void => {
      insert.run(a.id, a.username, a.name, a.role, a.iso_id, a.region, a.password_hash, a.created_at, a.created_at)
    },
    findById: (id: string): ConsoleAccountRow | undefined => byId.get(id),
    findByUsername: (username: string): ConsoleAccountRow | undefined => byUsername.get(username.trim()),
    list: (): ConsoleAccountRow[] => all.all(),
    count: (): number => (count.get() as { n: number }).n,
    /** Enabled administrators. */
    activeAdmins: (): number => (countAdmins.get() as { n: number }).n,
    setDisabled: (id: string, at: string | null): boolean => setDisabled.run(at, id).changes === 1,
    setPassword: (id: string, hash: string, at: string): boolean => setPassword.run(hash, at, id).changes === 1,
  }
}

export type ConsoleAccountRepo = ReturnType<typeof createConsoleAccountRepo>
