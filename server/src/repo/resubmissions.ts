import type { Db } from '../db'

export interface ResubmissionRow {
  id: string
  promotion_id: string
  client_id: string
  created_at: string
}

export function createResubmissionRepo(db: Db) {
  return {
    insert: async (row: ResubmissionRow): Promise<void> => {
      await db.run('INSERT INTO resubmissions (id, promotion_id, client_id, created_at) VALUES (?, ?, ?, ?)', [
        row.id,
        row.promotion_id,
        row.client_id,
        row.created_at,
      ])
    },
    findByClientId: (promotionId: string, clientId: string): Promise<ResubmissionRow | undefined> =>
      db.get<ResubmissionRow>('SELECT * FROM resubmissions WHERE promotion_id = ? AND client_id = ?', [promotionId, clientId]),
  }
}

export type ResubmissionRepo = ReturnType<typeof createResubmissionRepo>
