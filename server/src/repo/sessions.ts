import type { Db } from '../db'
import type { StaffRow } from './staff'

export interface SessionRow {
  token_hash: string
  staff_id: string
  created_at: string
  expires_at: string
}

/** `iso` (an ISO-8601 time) moved by `seconds`, in the same form (2026-12-07T00:00:00.000Z). */
export function shiftIsoTime(iso: string, seconds: number): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new Error(`Not an ISO-8601 time: ${iso}`)
  return new Date(ms + Math.round(seconds * 1000)).toISOString()
}

export function createSessionRepo(db: Db) {
  return {
    insert: async (tokenHash: string, staffId: string, createdAt: string, expiresAt: string): Promise<void> => {
      await db.run('INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [tokenHash, staffId, createdAt, expiresAt])
    },
    /** A session's expiry and its staff member (undefined: gone), in one read (every signed-in request asks). */
    findWithStaff: async (tokenHash: string): Promise<{ expires_at: string; staff: StaffRow | undefined } | undefined> => {
      const row = await db.get<StaffRow & { session_expires_at: string }>(
        'SELECT s.expires_at AS session_expires_at, st.* FROM sessions s LEFT JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = ?',
        [tokenHash],
      )
      if (!row) return undefined
      const { session_expires_at: expiresAt, ...staff } = row
      return { expires_at: expiresAt, staff: staff.id === null || staff.id === undefined ? undefined : (staff as StaffRow) }
    },
    /** Forgets sessions that expired before `before` (ISO time). */
    deleteExpiredBefore: async (before: string): Promise<number> => (await db.run('DELETE FROM sessions WHERE expires_at < ?', [before])).changes,
    /** Moves the expiry of the sessions still valid at `now` later by `seconds` (development clock). */
    extendValid: (seconds: number, now: string): Promise<number> =>
      // the new times are computed here (no date arithmetic shared by both engines), one row at a time
      db.transaction(async () => {
        const rows = await db.all<Pick<SessionRow, 'token_hash' | 'expires_at'>>('SELECT token_hash, expires_at FROM sessions WHERE expires_at > ?', [now])
        let changes = 0
        for (const row of rows) {
          changes += (
            await db.run('UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at = ?', [
              shiftIsoTime(row.expires_at, seconds),
              row.token_hash,
              row.expires_at,
            ])
          ).changes
        }
        return changes
      }),
  }
}

export type SessionRepo = ReturnType<typeof createSessionRepo>
