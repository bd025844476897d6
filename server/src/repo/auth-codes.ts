import type { Db } from '../db'

export function createAuthCodeRepo(db: Db) {
  return {
    /** Records the code as used; false when it had been used already (atomic). */
    markUsed: async (code: string, usedAt: string): Promise<boolean> =>
      (await db.run('INSERT INTO used_auth_codes (code, used_at) VALUES (?, ?) ON CONFLICT DO NOTHING', [code, usedAt])).changes === 1,
    deleteUsedBefore: async (before: string): Promise<number> => (await db.run('DELETE FROM used_auth_codes WHERE used_at < ?', [before])).changes,
  }
}

export type AuthCodeRepo = ReturnType<typeof createAuthCodeRepo>
