import type { Db } from '../db'

export function createAuthCodeRepo(db: Db) {
  const mark = db.prepare<[string, string]>('INSERT OR IGNORE INTO used_auth_codes (code, used_at) VALUES (?, ?)')
  const prune = db.prepare<[string]>('DELETE FROM used_auth_codes WHERE used_at < ?')

  return {
    /** Records the code as used; false when it had been used already (atomic). */
    markUsed: (code: string, usedAt: string): boolean => mark.run(code, usedAt).changes === 1,
    deleteUsedBefore: (before: string): number => prune.run(before).changes,
  }
}

export type AuthCodeRepo = ReturnType<typeof createAuthCodeRepo>
