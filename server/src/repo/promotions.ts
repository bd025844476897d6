import type { DeploymentMethod } from '../../../packages/contract/api'
import type { MaterialType, ProductKind, PromotionStatus, ReviewStatus, SpotPosition } from '../../../packages/contract/promotion'
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
  /** When the store was last decided (null while pending). */
  store_decided_at: string | null
  created_at: string
  submitted_at: string | null
  decided_at: string | null
  /** The last change of the promotion (submission, review, verification, appeal, resubmission). */
  updated_at: string | null
}

/** For the console's lists: who submitted it and for which ISO. */
export interface PromotionListRow extends PromotionRow {
  staff_name: string
  iso_name: string
  /** How many times the staff member modified (resubmitted) it. */
  resubmissions: number
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
  /** When the spot was last decided (null while pending). */
  decided_at: string | null
}

export type NewPromotion = Omit<PromotionRow, 'store_review_status' | 'store_review_reason' | 'store_decided_at' | 'decided_at' | 'updated_at'>
export type NewSpot = Omit<SpotRow, 'review_status' | 'review_reason' | 'decided_at'>

/** The store list of the results page: all, one promotion status (no appeal open), or APPEALED. */
export type PromotionFilter = { kind: 'all' } | { kind: 'status'; status: PromotionStatus } | { kind: 'appealed' }

/** Keyset position in a newest-first list. */
export interface PageCursor {
  createdAt: string
  id: string
}

/** What a resubmission writes over the promotion. */
export interface PromotionContent {
  store_json: string
  merchant_json: string
  store_review_status: ReviewStatus
  store_review_reason: string | null
  store_decided_at: string | null
  status: PromotionStatus
  submitted_at: string
  updated_at: string
}

const LIST = `SELECT p.*, s.name AS staff_name, i.name AS iso_name,
    (SELECT COUNT(*) FROM resubmissions r WHERE r.promotion_id = p.id) AS resubmissions
  FROM promotions p JOIN staff s ON s.id = p.staff_id JOIN isos i ON i.id = p.iso_id`

const OPEN_APPEAL = "EXISTS (SELECT 1 FROM appeals a WHERE a.promotion_id = p.id AND a.status = 'OPEN')"

export function createPromotionRepo(db: Db) {
  const insert = db.prepare<NewPromotion>(
    `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, created_at, submitted_at, updated_at)
     VALUES (@id, @client_id, @staff_id, @iso_id, @product, @method, @status, @store_json, @merchant_json, @created_at, @submitted_at, @created_at)`,
  )
  const insertSpot = db.prepare<NewSpot>(
    `INSERT INTO promotion_spots (promotion_id, idx, position, position_note, photo_id, marketing_code, material_type)
     VALUES (@promotion_id, @idx, @position, @position_note, @photo_id, @marketing_code, @material_type)`,
  )
  const byId = db.prepare<[string], PromotionRow>('SELECT * FROM promotions WHERE id = ?')
  const byClientId = db.prepare<[string, string], PromotionRow>('SELECT * FROM promotions WHERE staff_id = ? AND client_id = ?')
  const ofStaff = db.prepare<[string], PromotionRow>('SELECT * FROM promotions WHERE staff_id = ? ORDER BY created_at DESC, rowid DESC')
  const withStatus = db.prepare<[PromotionStatus], PromotionListRow>(`${LIST} WHERE p.status = ? ORDER BY p.submitted_at, p.created_at, p.rowid`)
  const decided = db.prepare<[number], PromotionListRow>(`${LIST} WHERE p.status IN ('APPROVED', 'REJECTED') ORDER BY p.decided_at DESC, p.rowid DESC LIMIT ?`)
  const spots = db.prepare<[string], SpotRow>('SELECT * FROM promotion_spots WHERE promotion_id = ? ORDER BY idx')
  const insertReviewedSpot = db.prepare<SpotRow>(
    `INSERT INTO promotion_spots (promotion_id, idx, position, position_note, photo_id, marketing_code, material_type, review_status, review_reason, decided_at)
     VALUES (@promotion_id, @idx, @position, @position_note, @photo_id, @marketing_code, @material_type, @review_status, @review_reason, @decided_at)`,
  )
  const setStatus = db.prepare<[PromotionStatus, string | null, string | null, string, string]>(
    'UPDATE promotions SET status = ?, submitted_at = COALESCE(?, submitted_at), decided_at = COALESCE(?, decided_at), updated_at = ? WHERE id = ?',
  )
  const reviewStore = db.prepare<[ReviewStatus, string | null, string, string, string]>(
    "UPDATE promotions SET store_review_status = ?, store_review_reason = ?, store_decided_at = ?, updated_at = ? WHERE id = ? AND store_review_status = 'PENDING'",
  )
  const reviewSpot = db.prepare<[ReviewStatus, string | null, string, string, number]>(
    "UPDATE promotion_spots SET review_status = ?, review_reason = ?, decided_at = ? WHERE promotion_id = ? AND idx = ? AND review_status = 'PENDING'",
  )
  const touch = db.prepare<[string, string]>('UPDATE promotions SET updated_at = ? WHERE id = ?')
  const approveRejectedStore = db.prepare<[string, string]>(
    "UPDATE promotions SET store_review_status = 'APPROVED', store_review_reason = NULL, store_decided_at = ? WHERE id = ? AND store_review_status = 'REJECTED'",
  )
  const approveRejectedSpots = db.prepare<[string, string]>(
    "UPDATE promotion_spots SET review_status = 'APPROVED', review_reason = NULL, decided_at = ? WHERE promotion_id = ? AND review_status = 'REJECTED'",
  )
  const setContent = db.prepare<PromotionContent & { id: string }>(
    `UPDATE promotions SET store_json = @store_json, merchant_json = @merchant_json, store_review_status = @store_review_status,
       store_review_reason = @store_review_reason, store_decided_at = @store_decided_at, status = @status, submitted_at = @submitted_at,
       updated_at = @updated_at WHERE id = @id`,
  )
  const deleteSpots = db.prepare<[string]>('DELETE FROM promotion_spots WHERE promotion_id = ?')
  const createdBetween = db.prepare<[string, string, string], PromotionRow>(
    'SELECT * FROM promotions WHERE staff_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id',
  )

  /** A page of one staff member's promotions, newest first (created_at, then id, descending). */
  function page(staffId: string, filter: PromotionFilter, after: PageCursor | null, limit: number): PromotionRow[] {
    const where = ['p.staff_id = @staffId']
    const params: Record<string, string | number> = { staffId, limit }
    if (filter.kind === 'appealed') where.push(OPEN_APPEAL)
    else if (filter.kind === 'status') {
      where.push(`p.status = @status AND NOT ${OPEN_APPEAL}`)
      params.status = filter.status
    }
    if (after) {
      where.push('(p.created_at < @createdAt OR (p.created_at = @createdAt AND p.id < @id))')
      params.createdAt = after.createdAt
      params.id = after.id
    }
    return db
      .prepare<[Record<string, string | number>], PromotionRow>(
        `SELECT p.* FROM promotions p WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id DESC LIMIT @limit`,
      )
      .all(params)
  }

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
    /** Moves to `status`, recording when it went to review and when it was decided (null: unchanged), at `at`. */
    setStatus: (id: string, status: PromotionStatus, submittedAt: string | null, decidedAt: string | null, at: string): void => {
      setStatus.run(status, submittedAt, decidedAt, at, id)
    },
    /** Records the store decision at `at`; false when it was decided already. */
    reviewStore: (id: string, status: 'APPROVED' | 'REJECTED', reason: string | null, at: string): boolean =>
      reviewStore.run(status, reason, at, at, id).changes === 1,
    /** Records a spot decision at `at`; false when there is no such pending spot. */
    reviewSpot: (id: string, idx: number, status: 'APPROVED' | 'REJECTED', reason: string | null, at: string): boolean => {
      const recorded = reviewSpot.run(status, reason, at, id, idx).changes === 1
      if (recorded) touch.run(at, id)
      return recorded
    },
    /** Records that the promotion changed at `at`. */
    touch: (id: string, at: string): void => {
      touch.run(at, id)
    },
    /** An accepted appeal: every rejected item (store, spots) becomes approved, decided at `at`. */
    approveRejected: (id: string, at: string): void => {
      approveRejectedStore.run(at, id)
      approveRejectedSpots.run(at, id)
      touch.run(at, id)
    },
    /** A resubmission: the promotion's new content and review state (its spots are replaced separately). */
    setContent: (id: string, content: PromotionContent): void => {
      setContent.run({ id, ...content })
    },
    /** Removes every spot of the promotion (their Marketing Code bindings go with them). */
    deleteSpots: (id: string): void => {
      deleteSpots.run(id)
    },
    insertReviewedSpot: (row: SpotRow): void => {
      insertReviewedSpot.run(row)
    },
    /** One staff member's promotions created in [from, to) (ISO times), oldest first. */
    createdBetween: (staffId: string, from: string, to: string): PromotionRow[] => createdBetween.all(staffId, from, to),
    page,
  }
}

export type PromotionRepo = ReturnType<typeof createPromotionRepo>
