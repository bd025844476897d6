import type { Db } from '../db'

export interface ThrottleRow {
  key: string
  failures: number
  window_started_at: string
  locked_until: string | null
}

/** Failed console sign-ins per key ('user:<name>' or 'addr:<ip>'). */
export function createSignInThrottleRepo(db: Db) {
  return {
    find: (key: string): Promise<ThrottleRow | undefined> => db.get<ThrottleRow>('SELECT * FROM console_signin_throttle WHERE key = ?', [key]),
    save: async (row: ThrottleRow): Promise<void> => {
      await db.run(
        `INSERT INTO console_signin_throttle (key, failures, window_started_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at, locked_until = excluded.locked_until`,
        [row.key, row.failures, row.window_started_at, row.locked_until],
      )
    },
    clear: async (key: string): Promise<void> => {
      await db.run('DELETE FROM console_signin_throttle WHERE key = ?', [key])
    },
  }
}

export type SignInThrottleRepo = ReturnType<typeof createSignInThrottleRepo>
