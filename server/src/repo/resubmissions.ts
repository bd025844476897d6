import type { Db } from '../db'

export interface ResubmissionRow {
  id: string
  promotion_id: string
  client_id: string
  created_at: string
}

export function createResubmissionRepo(db: Db) {
  const insert = db.prepare<ResubmissionRow>(
    'INSERT INTO resubmissions (id, promotion_id, client_id, created_at) VALUES (@id, @promotion_id, @client_id, @created_at)',
  )
  const byClientId = db.prepare<[string, string], ResubmissionRow>('SELECT * FROM resubmissions WHERE promotion_id = ? AND client_id = ?')

  return {
    insert: (row: ResubmissionRow): void => {
      insert.run(row)
    },
    findByClientId: (promotionId: string, clientId: string): ResubmissionRow | undefined => byClientId.get(promotionId, clientId),
  }
}

export type ResubmissionRepo = ReturnType<typeof createResubmissionRepo>
