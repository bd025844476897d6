import type { Db } from '../db'

export interface SessionRow {
  token_hash: string
  staff_id: string
  created_at: string
  expires_at: string
}

export function createSessionRepo(db: Db) {
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
  const byHash = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?')
  const prune = db.prepare<[string]>('DELETE FROM sessions WHERE expires_at < ?')
  const extend = db.prepare<[string, string]>("UPDATE sessions SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', expires_at, ?) WHERE expires_at > ?")

  return {
    insert: (tokenHash: string, staffId: string, createdAt: string, expiresAt: string): void => {
      insert.run(tokenHash, staffId, createdAt, expiresAt)
    },
    findByHash: (tokenHash: string): SessionRow | undefined => byHash.get(tokenHash),
    /** Forgets sessions that expired before `before` (ISO time). */
    deleteExpiredBefore: (before: string): number => prune.run(before).changes,
    /** Moves the expiry of the sessions still valid at `now` later by `seconds` (development clock). */
    extendValid: (seconds: number, now: string): number => extend.run(`+${seconds} seconds`, now).changes,
  }
}

export type SessionRepo = ReturnType<typeof createSessionRepo>
