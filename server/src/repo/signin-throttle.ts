import type { Db } from '../db'

export interface ThrottleRow {
  key: string
  /** Attempts counted in this window: each is counted before its password is checked (a success gives its own back). */
  failures: number
  window_started_at: string
  locked_until: string | null
}

/** Console sign-in attempts per key ('user:<name>' or 'addr:<ip>'); the policy is in services/console-accounts.ts. */
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
    /** Gives back one attempt counted in the window that started at `windowStartedAt` (none once that window ended). */
    refund: async (key: string, windowStartedAt: string): Promise<void> => {
      await db.run('UPDATE console_signin_throttle SET failures = failures - 1 WHERE key = ? AND window_started_at = ? AND failures > 0', [
        key,
        windowStartedAt,
      ])
    },
    clear: async (key: string): Promise<void> => {
      await db.run('DELETE FROM console_signin_throttle WHERE key = ?', [key])
    },
  }
}

export type SignInThrottleRepo = ReturnType<typeof createSignInThrottleRepo>
