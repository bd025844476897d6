import type { AppealStatus } from '../../../packages/contract/results'
import type { Db } from '../db'
import { columns } from './columns'

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

const APPEAL_COLUMNS = ['id', 'promotion_id', 'staff_id', 'client_id', 'reason', 'photo_ids_json', 'status', 'reviewer_reason', 'created_at', 'decided_at']
/** Not `*` (see columns). */
const SELECT = `SELECT ${columns('appeals', APPEAL_COLUMNS)} FROM appeals`

export function createAppealRepo(db: Db) {
  return {
    insert: async (row: NewAppeal): Promise<void> => {
      await db.run(
        `INSERT INTO appeals (id, promotion_id, staff_id, client_id, reason, photo_ids_json, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'OPEN', ?)`,
        [row.id, row.promotion_id, row.staff_id, row.client_id, row.reason, row.photo_ids_json, row.created_at],
      )
    },
    findById: (id: string): Promise<AppealRow | undefined> => db.get<AppealRow>(`${SELECT} WHERE id = ?`, [id]),
    findByClientId: (staffId: string, clientId: string): Promise<AppealRow | undefined> =>
      db.get<AppealRow>(`${SELECT} WHERE staff_id = ? AND client_id = ?`, [staffId, clientId]),
    /** Newest first. */
    listForPromotion: (promotionId: string): Promise<AppealRow[]> =>
      db.all<AppealRow>(`${SELECT} WHERE promotion_id = ? ORDER BY created_at DESC, rowid DESC`, [promotionId]),
    openForPromotion: (promotionId: string): Promise<AppealRow | undefined> =>
      db.get<AppealRow>(`${SELECT} WHERE promotion_id = ? AND status = 'OPEN'`, [promotionId]),
    /** Every open appeal, oldest first (a queue). */
    listOpen: (): Promise<AppealListRow[]> =>
      db.all<AppealListRow>(
        `SELECT ${columns('a', APPEAL_COLUMNS)}, s.name AS staff_name, i.name AS iso_name, p.store_json, p.product
         FROM appeals a JOIN promotions p ON p.id = a.promotion_id JOIN staff s ON s.id = a.staff_id JOIN isos i ON i.id = p.iso_id
         WHERE a.status = 'OPEN' ORDER BY a.created_at, a.rowid`,
      ),
    /** Records the reviewer's decision; false when the appeal is not open. */
    decide: async (id: string, status: 'ACCEPTED' | 'REJECTED', reviewerReason: string | null, at: string): Promise<boolean> =>
      (await db.run("UPDATE appeals SET status = ?, reviewer_reason = ?, decided_at = ? WHERE id = ? AND status = 'OPEN'", [status, reviewerReason, at, id]))
        .changes === 1,
  }
}

export type AppealRepo = ReturnType<typeof createAppealRepo>
