import type { DeploymentMethod } from '../../../types/api'
import type { MaterialType, ProductKind, PromotionStatus, ReviewStatus, SpotPosition } from '../../../types/promotion'
import type { Db } from '../db'

export interface PromotionRow {
  id: string
  client_id: string
  staff_id: string
  iso_id: string
  product: ProductKind
  method: DeploymentMethod
  status: PromotionStatus
  /** JSON of StoreInput, as validated. */
  store_json: string
  /** JSON of MerchantInput, as validated. */
  merchant_json: string
  store_review_status: ReviewStatus
  store_review_reason: string | null
  created_at: string
  submitted_at: string | null
  decided_at: string | null
}

/** For the console's lists: who submitted it and for which ISO. */
export interface PromotionListRow extends PromotionRow {
  staff_name: string
  iso_name: string
}

export interface SpotRow {
  promotion_id: string
  idx: number
  position: SpotPosition
  position_note: string | null
  photo_id: string
  marketing_code: string | null
  material_type: MaterialType | null
  review_status: ReviewStatus
  review_reason: string | null
}

export type NewPromotion = Omit<PromotionRow, 'store_review_status' | 'store_review_reason' | 'decided_at'>
export type NewSpot = Omit<SpotRow, 'review_status' | 'review_reason'>

const LIST = `SELECT p.*, s.name AS staff_name, i.name AS iso_name
  FROM promotions p JOIN staff s ON s.id = p.staff_id JOIN isos i ON i.id = p.iso_id`

export function createPromotionRepo(db: Db) {
  const insert = db.prepare<NewPromotion>(
    `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, created_at, submitted_at)
     VALUES (@id, @client_id, @staff_id, @iso_id, @product, @method, @status, @store_json, @merchant_json, @created_at, @submitted_at)`,
  )
  const insertSpot = db.prepare<NewSpot>(
    `INSERT INTO promotion_spots (promotion_id, idx, position, position_note, photo_id, marketing_code, material_type)
     VALUES (@promotion_id, @idx, @position, @position_note, @photo_id, @marketing_code, @material_type)`,
  )
  const byId = db.prepare<[string], PromotionRow>('SELECT * FROM promotions WHERE id = ?')
  const byClientId = db.prepare<[string, string], PromotionRow>('SELECT * FROM promotions WHERE staff_id = ? AND client_id = ?')
  const ofStaff = db.prepare<[string], PromotionRow>('SELECT * FROM promotions WHERE staff_id = ? ORDER BY created_at DESC, rowid DESC')
  const withStatus = db.prepare<[PromotionStatus], PromotionListRow>(`${LIST} WHERE p.status = ? ORDER BY p.submitted_at, p.created_at, p.rowid`)
  const decided = db.prepare<[number], PromotionListRow>(
    `${LIST} WHERE p.status IN ('APPROVED', 'REJECTED') ORDER BY p.decided_at DESC, p.rowid DESC LIMIT ?`,
  )
  const spots = db.prepare<[string], SpotRow>('SELECT * FROM promotion_spots WHERE promotion_id = ? ORDER BY idx')
  const setStatus = db.prepare<[PromotionStatus, string | null, string | null, string]>(
    'UPDATE promotions SET status = ?, submitted_at = COALESCE(?, submitted_at), decided_at = COALESCE(?, decided_at) WHERE id = ?',
  )
  const reviewStore = db.prepare<[ReviewStatus, string | null, string]>(
    "UPDATE promotions SET store_review_status = ?, store_review_reason = ? WHERE id = ? AND store_review_status = 'PENDING'",
  )
  const reviewSpot = db.prepare<[ReviewStatus, string | null, string, number]>(
    "UPDATE promotion_spots SET review_status = ?, review_reason = ? WHERE promotion_id = ? AND idx = ? AND review_status = 'PENDING'",
  )

  return {
    insert: (row: NewPromotion): void => {
      insert.run(row)
    },
    insertSpot: (row: NewSpot): void => {
      insertSpot.run(row)
    },
    findById: (id: string): PromotionRow | undefined => byId.get(id),
    findByClientId: (staffId: string, clientId: string): PromotionRow | undefined => byClientId.get(staffId, clientId),
    /** Newest first. */
    listForStaff: (staffId: string): PromotionRow[] => ofStaff.all(staffId),
    /** Oldest submission first (a queue). */
    listWithStatus: (status: PromotionStatus): PromotionListRow[] => withStatus.all(status),
    listRecentlyDecided: (limit = 20): PromotionListRow[] => decided.all(limit),
    spots: (promotionId: string): SpotRow[] => spots.all(promotionId),
    /** Moves to `status`, recording when it went to review and when it was decided (null: unchanged). */
    setStatus: (id: string, status: PromotionStatus, submittedAt: string | null, decidedAt: string | null): void => {
      setStatus.run(status, submittedAt, decidedAt, id)
    },
    /** Records the store decision; false when it was decided already. */
    reviewStore: (id: string, status: 'APPROVED' | 'REJECTED', reason: string | null): boolean =>
      reviewStore.run(status, reason, id).changes === 1,
    /** Records a spot decision; false when there is no such pending spot. */
    reviewSpot: (id: string, idx: number, status: 'APPROVED' | 'REJECTED', reason: string | null): boolean =>
      reviewSpot.run(status, reason, id, idx).changes === 1,
  }
}

export type PromotionRepo = ReturnType<typeof createPromotionRepo>
