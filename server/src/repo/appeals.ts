import type { AppealStatus } from '../../../packages/contract/results'
import type { Db } from '../db'

export interface AppealRow {
  id: string
  promotion_id: string
  staff_id: string
  client_id: string
  reason: string
  /** JSON array of upload ids (evidence photos). */
  photo_ids_json: string
  status: AppealStatus
  reviewer_reason: string | null
  created_at: string
  decided_at: string | null
}

/** For the console's list of open appeals. */
export interface AppealListRow extends AppealRow {
  staff_name: string
  iso_name: string
  store_json: string
  product: string
}

export type NewAppeal = Omit<AppealRow, 'status' | 'reviewer_reason' | 'decided_at'>

export function createAppealRepo(db: Db) {
  const insert = db.prepare<NewAppeal>(
    `INSERT INTO appeals (id, promotion_id, staff_id, client_id, reason, photo_ids_json, status, created_at)
     VALUES (@id, @promotion_id, @staff_id, @client_id, @reason, @photo_ids_json, 'OPEN', @created_at)`,
  )
  const byId = db.prepare<[string], AppealRow>('SELECT * FROM appeals WHERE id = ?')
  const byClientId = db.prepare<[string, string], AppealRow>('SELECT * FROM appeals WHERE staff_id = ? AND client_id = ?')
  const ofPromotion = db.prepare<[string], AppealRow>('SELECT * FROM appeals WHERE promotion_id = ? ORDER BY created_at DESC, rowid DESC')
  const openOf = db.prepare<[string], AppealRow>("SELECT * FROM appeals WHERE promotion_id = ? AND status = 'OPEN'")
  const open = db.prepare<[], AppealListRow>(
    `SELECT a.*, s.name AS staff_name, i.name AS iso_name, p.store_json, p.product
     FROM appeals a JOIN promotions p ON p.id = a.promotion_id JOIN staff s ON s.id = a.staff_id JOIN isos i ON i.id = p.iso_id
     WHERE a.status = 'OPEN' ORDER BY a.created_at, a.rowid`,
  )
  const decide = db.prepare<[AppealStatus, string | null, string, string]>(
    "UPDATE appeals SET status = ?, reviewer_reason = ?, decided_at = ? WHERE id = ? AND status = 'OPEN'",
  )

  return {
    insert: (row: NewAppeal): void => {
      insert.run(row)
    },
    findById: (id: string): AppealRow | undefined => byId.get(id),
    findByClientId: (staffId: string, clientId: string): AppealRow | undefined => byClientId.get(staffId, clientId),
    /** Newest first. */
    listForPromotion: (promotionId: string): AppealRow[] => ofPromotion.all(promotionId),
    openForPromotion: (promotionId: string): AppealRow | undefined => openOf.get(promotionId),
    /** Every open appeal, oldest first (a queue). */
    listOpen: (): AppealListRow[] => open.all(),
    /** Records the reviewer's decision; false when the appeal is not open. */
    decide: (id: string, status: 'ACCEPTED' | 'REJECTED', reviewerReason: string | null, at: string): boolean =>
      decide.run(status, reviewerReason, at, id).changes === 1,
  }
}

export type AppealRepo = ReturnType<typeof createAppealRepo>
