import type { Db } from '../db'

export interface ThrottleRow {
  key: string
  failures: number
  window_started_at: string
  locked_until: string | null
}

/** Failed console sign-ins per key ('user:<name>' or 'addr:<ip>'). */
export function createSignInThrottleRepo(db: Db) {
  const byKey = db.prepare<[string], ThrottleRow>('SELECT * FROM console_signin_throttle WHERE key = ?')
  const upsert = db.prepare<[string, number, string, string | null]>(
    `INSERT INTO console_signin_throttle (key, failures, window_started_at, locked_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at, locked_until = excluded.locked_until`,
  )
  const remove = db.prepare<[string]>('DELETE FROM console_signin_throttle WHERE key = ?')
  return {
    find: (key: string): ThrottleRow | undefined => byKey.get(key),
    save: (row: ThrottleRow): void => {
      upsert.run(row.key, row.failures, row.window_started_at, row.locked_until)
    },
    clear: (key: string): void => {
      remove.run(key)
    },
  }
}

export type SignInThrottleRepo = ReturnType<typeof createSignInThrottleRepo>
