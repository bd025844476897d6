import type { Db } from '../db'

export interface ConsoleSessionRow {
  token_hash: string
  account_id: string
  csrf_token: string
  created_at: string
  last_seen_at: string
  expires_at: string
}

export function createConsoleSessionRepo(db: Db) {
  const insert = db.prepare<[string, string, string, string, string, string]>(
    'INSERT INTO console_sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const byHash = db.prepare<[string], ConsoleSessionRow>('SELECT * FROM console_sessions WHERE token_hash = ?')
  const touch = db.prepare<[string, string]>('UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?')
  const remove = db.prepare<[string]>('DELETE FROM console_sessions WHERE token_hash = ?')
  const removeAccount = db.prepare<[string]>('DELETE FROM console_sessions WHERE account_id = ?')
  const prune = db.prepare<[string]>('DELETE FROM console_sessions WHERE expires_at < ?')
  const shift = db.prepare<[string, string, string]>(
    "UPDATE console_sessions SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', expires_at, ?), last_seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', last_seen_at, ?) WHERE expires_at > ?",
  )

  return {
    insert: (s: ConsoleSessionRow): void => {
      insert.run(s.token_hash, s.account_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at)
    },
    findByHash: (tokenHash: string): ConsoleSessionRow | undefined => byHash.get(tokenHash),
    touch: (tokenHash: string, at: string): void => {
      touch.run(at, tokenHash)
    },
    delete: (tokenHash: string): void => {
      remove.run(tokenHash)
    },
    /** Signs an account out everywhere (disabled, or its password reset). */
    deleteForAccount: (accountId: string): number => removeAccount.run(accountId).changes,
    deleteExpiredBefore: (before: string): number => prune.run(before).changes,
    /** Moves the sessions valid at `now` later by `seconds`, idle time included (development clock). */
    shiftValid: (seconds: number, now: string): number => shift.run(`+${seconds} seconds`, `+${seconds} seconds`, now).changes,
  }
}

export type ConsoleSessionRepo = ReturnType<typeof createConsoleSessionRepo>
