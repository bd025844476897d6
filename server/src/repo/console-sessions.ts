import type { Db } from '../db'
import { shiftIsoTime } from './sessions'

export interface ConsoleSessionRow {
  token_hash: string
  account_id: string
  csrf_token: string
  created_at: string
  last_seen_at: string
  expires_at: string
}

export function createConsoleSessionRepo(db: Db) {
  return {
    insert: async (s: ConsoleSessionRow): Promise<void> => {
      await db.run('INSERT INTO console_sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
        s.token_hash,
        s.account_id,
        s.csrf_token,
        s.created_at,
        s.last_seen_at,
        s.expires_at,
      ])
    },
    findByHash: (tokenHash: string): Promise<ConsoleSessionRow | undefined> =>
      db.get<ConsoleSessionRow>('SELECT * FROM console_sessions WHERE token_hash = ?', [tokenHash]),
    touch: async (tokenHash: string, at: string): Promise<void> => {
      await db.run('UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?', [at, tokenHash])
    },
    delete: async (tokenHash: string): Promise<void> => {
      await db.run('DELETE FROM console_sessions WHERE token_hash = ?', [tokenHash])
    },
    /** Signs an account out everywhere (disabled, or its password reset). */
    deleteForAccount: async (accountId: string): Promise<number> => (await db.run('DELETE FROM console_sessions WHERE account_id = ?', [accountId])).changes,
    deleteExpiredBefore: async (before: string): Promise<number> => (await db.run('DELETE FROM console_sessions WHERE expires_at < ?', [before])).changes,
    /** Moves the sessions valid at `now` later by `seconds`, idle time included (development clock). */
    shiftValid: (seconds: number, now: string): Promise<number> =>
      // the new times are computed here (no date arithmetic shared by both engines), one row at a time
      db.transaction(async () => {
        const rows = await db.all<Pick<ConsoleSessionRow, 'token_hash' | 'expires_at' | 'last_seen_at'>>(
          'SELECT token_hash, expires_at, last_seen_at FROM console_sessions WHERE expires_at > ?',
          [now],
        )
        let changes = 0
        for (const row of rows) {
          changes += (
            await db.run('UPDATE console_sessions SET expires_at = ?, last_seen_at = ? WHERE token_hash = ? AND expires_at = ?', [
              shiftIsoTime(row.expires_at, seconds),
              shiftIsoTime(row.last_seen_at, seconds),
              row.token_hash,
              row.expires_at,
            ])
          ).changes
        }
        return changes
      }),
  }
}

export type ConsoleSessionRepo = ReturnType<typeof createConsoleSessionRepo>
