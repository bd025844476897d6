import type { DeploymentMethod } from '../../../packages/contract/api'
import type { MaterialType, ProductKind, PromotionStatus, ReviewStatus, SpotPosition } from '../../../packages/contract/promotion'
import type { Db } from '../db'
import { columns } from './columns'
import { UNSUMMARISED_RANK as UNSUMMARISED } from '../evidence/summary'

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
  /** Its evidence summary (issue 26 item 5; null: not summarised yet). */
  evidence_level: string | null
  evidence_reasons: string | null
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

/** The review queue's filters (console/promotions.ts validates them). */
export interface QueueFilter {
  statuses: readonly PromotionStatus[]
  isoId: string | null
  product: ProductKind | null
  /** The evidence level's rank (evidence/summary.ts EVIDENCE_RANK). */
  rank: number | null
  /** Queued at or after (ISO time). */
  from: string | null
  /** Queued before (ISO time). */
  to: string | null
  /** A part of the store's name, as evidence/rules.ts storeNameKey gives it. */
  search: string | null
}

/** The queue's orders: submission time, oldest first; or weakest evidence first, then oldest first. */
export type QueueSort = 'time' | 'evidence'

/** Keyset position in the queue: the row's rank, queue time and id. */
export interface QueueCursor {
  rank: number
  at: string
  id: string
}

/** A queue row: the list row with when it was queued (submitted_at, or created_at while awaiting payment) and its evidence summary. */
export interface QueueRow extends PromotionListRow {
  queued_at: string
  evidence_rank: number
}

/** The stored evidence summary (evidence/summary-store.ts). */
export interface StoredEvidenceSummary {
  level: string
  rank: number
  reasons: string
  storeNameKey: string
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

const PROMOTION_COLUMNS = [
  'id',
  'client_id',
  'staff_id',
  'iso_id',
  'product',
  'method',
  'status',
  'store_json',
  'merchant_json',
  'store_review_status',
  'store_review_reason',
  'store_decided_at',
  'created_at',
  'submitted_at',
  'decided_at',
  'updated_at',
]
// not `p.*` (see columns)
const SELECT = `SELECT ${columns('p', PROMOTION_COLUMNS)} FROM promotions p`
const LIST_SELECT = `SELECT ${columns('p', PROMOTION_COLUMNS)}, p.evidence_level, p.evidence_reasons, s.name AS staff_name, i.name AS iso_name,
    (SELECT COUNT(*) FROM resubmissions r WHERE r.promotion_id = p.id) AS resubmissions`
const LIST_FROM = 'FROM promotions p JOIN staff s ON s.id = p.staff_id JOIN isos i ON i.id = p.iso_id'
const LIST = `${LIST_SELECT} ${LIST_FROM}`

/** When a promotion joined the queue: as the queue's indexes spell it (db.ts MIGRATION_EVIDENCE_SUMMARY). */
const QUEUED_AT = 'COALESCE(p.submitted_at, p.created_at)'

/** LIKE's wildcards in a searched text, escaped (ESCAPE '\\'). */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** How many promotion statuses there are (promotions.status's CHECK). */
const ALL_STATUSES = 4

const OPEN_APPEAL = "EXISTS (SELECT 1 FROM appeals a WHERE a.promotion_id = p.id AND a.status = 'OPEN')"

const SPOT_COLUMNS = '(promotion_id, idx, position, position_note, photo_id, marketing_code, material_type'

export function createPromotionRepo(db: Db) {
  const touch = async (id: string, at: string): Promise<void> => {
    await db.run('UPDATE promotions SET updated_at = ? WHERE id = ?', [at, id])
  }

  /** A page of one staff member's promotions, newest first (created_at, then id, descending). */
  function page(staffId: string, filter: PromotionFilter, after: PageCursor | null, limit: number): Promise<PromotionRow[]> {
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
    return db.all<PromotionRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY p.created_at DESC, p.id DESC LIMIT @limit`, params)
  }

  /**
   * A page of the review queue, keyset-paged: `after` the rows following a cursor, `before` those preceding one
   * (answered in the queue's order all the same). At most `limit` rows.
   */
  function queuePage(filter: QueueFilter, sort: QueueSort, position: { after?: QueueCursor; before?: QueueCursor }, limit: number): Promise<QueueRow[]> {
    const where: string[] = []
    const params: Record<string, string | number> = { limit }
    // every status: no condition (the status's CHECK allows no other), so that the indexes without status serve
    if (filter.statuses.length < ALL_STATUSES) {
      where.push(`p.status IN (${filter.statuses.map((_, i) => `@status${i}`).join(', ')})`)
      filter.statuses.forEach((status, i) => (params[`status${i}`] = status))
    }
    if (filter.isoId !== null) {
      where.push('p.iso_id = @isoId')
      params.isoId = filter.isoId
    }
    if (filter.product !== null) {
      where.push('p.product = @product')
      params.product = filter.product
    }
    if (filter.rank !== null) {
      where.push('p.evidence_rank = @rank')
      params.rank = filter.rank
    }
    if (filter.from !== null) {
      where.push(`${QUEUED_AT} >= @from`)
      params.from = filter.from
    }
    if (filter.to !== null) {
      where.push(`${QUEUED_AT} < @to`)
      params.to = filter.to
    }
    if (filter.search !== null) {
      where.push("p.store_name_key LIKE @search ESCAPE '\\'")
      params.search = `%${likeEscaped(filter.search)}%`
    }
    const backwards = position.before !== undefined
    const cursor = position.before ?? position.after
    const [cmp, dir] = backwards ? ['<', 'DESC'] : ['>', 'ASC']
    if (cursor) {
      // row values: PostgreSQL reads them as one range of the index (an OR of the parts it filters row by row);
      // SQLite ranges only the leading bound of a row value over an expression, hence that bound spelt out too
      where.push(
        sort === 'evidence'
          ? `p.evidence_rank ${cmp}= @cursorRank AND (p.evidence_rank, ${QUEUED_AT}, p.id) ${cmp} (@cursorRank, @at, @id)`
          : `${QUEUED_AT} ${cmp}= @at AND (${QUEUED_AT}, p.id) ${cmp} (@at, @id)`,
      )
      params.at = cursor.at
      params.id = cursor.id
      if (sort === 'evidence') params.cursorRank = cursor.rank
    }
    const order = `${sort === 'evidence' ? `p.evidence_rank ${dir}, ` : ''}${QUEUED_AT} ${dir}, p.id ${dir}`
    return db
      .all<QueueRow>(
        `${LIST_SELECT}, ${QUEUED_AT} AS queued_at, p.evidence_rank ${LIST_FROM}
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT @limit`,
        params,
      )
      .then((rows) => (backwards ? rows.reverse() : rows))
      .then((rows) => rows.map((r) => ({ ...r, evidence_rank: Number(r.evidence_rank) })))
  }

  return {
    queuePage,
    /** Stores the promotion's evidence summary (evidence/summary-store.ts). */
    setEvidenceSummary: async (id: string, summary: StoredEvidenceSummary): Promise<void> => {
      await db.run('UPDATE promotions SET evidence_level = ?, evidence_rank = ?, evidence_reasons = ?, store_name_key = ? WHERE id = ?', [
        summary.level,
        summary.rank,
        summary.reasons,
        summary.storeNameKey,
        id,
      ])
    },
    /** The ids of the promotions with this status whose evidence summary has this level (the inspections' proposals). */
    idsWithEvidence: async (status: PromotionStatus, level: string): Promise<Set<string>> =>
      new Set((await db.all<{ id: string }>('SELECT id FROM promotions WHERE status = ? AND evidence_level = ?', [status, level])).map((r) => r.id)),
    /** The promotion's stored evidence summary (level null: not summarised yet). */
    evidenceSummaryOf: (id: string): Promise<{ evidence_level: string | null; evidence_reasons: string | null } | undefined> =>
      db.get('SELECT evidence_level, evidence_reasons FROM promotions WHERE id = ?', [id]),
    /** Up to `limit` promotions without an evidence summary (stored before it existed), oldest first. */
    unsummarised: async (limit: number): Promise<string[]> =>
      (await db.all<{ id: string }>(`SELECT p.id FROM promotions p WHERE p.evidence_rank = ${UNSUMMARISED} ORDER BY ${QUEUED_AT}, p.id LIMIT ?`, [limit])).map(
        (r) => r.id,
      ),
    /** A staff member's promotions decided since `since` (ISO time), and how many of them were rejected. */
    staffDecisions: async (staffId: string, since: string): Promise<{ decided: number; rejected: number }> => {
      const row = await db.get<{ decided: number; rejected: number | null }>(
        `SELECT COUNT(*) AS decided, SUM(CASE WHEN status = 'REJECTED' THEN 1 ELSE 0 END) AS rejected
           FROM promotions WHERE staff_id = ? AND status IN ('APPROVED', 'REJECTED') AND decided_at >= ?`,
        [staffId, since],
      )
      return { decided: Number(row?.decided ?? 0), rejected: Number(row?.rejected ?? 0) }
    },
    insert: async (row: NewPromotion): Promise<void> => {
      await db.run(
        `INSERT INTO promotions (id, client_id, staff_id, iso_id, product, method, status, store_json, merchant_json, created_at, submitted_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          row.id,
          row.client_id,
          row.staff_id,
          row.iso_id,
          row.product,
          row.method,
          row.status,
          row.store_json,
          row.merchant_json,
          row.created_at,
          row.submitted_at,
          row.created_at,
        ],
      )
    },
    insertSpot: async (row: NewSpot): Promise<void> => {
      await db.run(`INSERT INTO promotion_spots ${SPOT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
        row.promotion_id,
        row.idx,
        row.position,
        row.position_note,
        row.photo_id,
        row.marketing_code,
        row.material_type,
      ])
    },
    findById: (id: string): Promise<PromotionRow | undefined> => db.get<PromotionRow>(`${SELECT} WHERE p.id = ?`, [id]),
    findByClientId: (staffId: string, clientId: string): Promise<PromotionRow | undefined> =>
      db.get<PromotionRow>(`${SELECT} WHERE p.staff_id = ? AND p.client_id = ?`, [staffId, clientId]),
    /** Newest first. */
    listForStaff: (staffId: string): Promise<PromotionRow[]> =>
      db.all<PromotionRow>(`${SELECT} WHERE p.staff_id = ? ORDER BY p.created_at DESC, p.rowid DESC`, [staffId]),
    /** Oldest submission first (a queue). */
    // NULLS FIRST: SQLite's order for ASC, spelt out for PostgreSQL (whose default is the opposite)
    listWithStatus: (status: PromotionStatus): Promise<PromotionListRow[]> =>
      db.all<PromotionListRow>(`${LIST} WHERE p.status = ? ORDER BY p.submitted_at NULLS FIRST, p.created_at, p.rowid`, [status]),
    // NULLS LAST: SQLite's order for DESC, spelt out for PostgreSQL
    listRecentlyDecided: (limit = 20): Promise<PromotionListRow[]> =>
      db.all<PromotionListRow>(`${LIST} WHERE p.status IN ('APPROVED', 'REJECTED') ORDER BY p.decided_at DESC NULLS LAST, p.rowid DESC LIMIT ?`, [limit]),
    spots: (promotionId: string): Promise<SpotRow[]> => db.all<SpotRow>('SELECT * FROM promotion_spots WHERE promotion_id = ? ORDER BY idx', [promotionId]),
    /** Moves to `status`, recording when it went to review and when it was decided (null: unchanged), at `at`. */
    setStatus: async (id: string, status: PromotionStatus, submittedAt: string | null, decidedAt: string | null, at: string): Promise<void> => {
      await db.run(
        'UPDATE promotions SET status = ?, submitted_at = COALESCE(?, submitted_at), decided_at = COALESCE(?, decided_at), updated_at = ? WHERE id = ?',
        [status, submittedAt, decidedAt, at, id],
      )
    },
    /** Records the store decision at `at`; false when it was decided already. */
    reviewStore: async (id: string, status: 'APPROVED' | 'REJECTED', reason: string | null, at: string): Promise<boolean> =>
      (
        await db.run(
          "UPDATE promotions SET store_review_status = ?, store_review_reason = ?, store_decided_at = ?, updated_at = ? WHERE id = ? AND store_review_status = 'PENDING'",
          [status, reason, at, at, id],
        )
      ).changes === 1,
    /** Records a spot decision at `at`; false when there is no such pending spot. */
    reviewSpot: (id: string, idx: number, status: 'APPROVED' | 'REJECTED', reason: string | null, at: string): Promise<boolean> =>
      db.transaction(async () => {
        const recorded =
          (
            await db.run(
              "UPDATE promotion_spots SET review_status = ?, review_reason = ?, decided_at = ? WHERE promotion_id = ? AND idx = ? AND review_status = 'PENDING'",
              [status, reason, at, id, idx],
            )
          ).changes === 1
        if (recorded) await touch(id, at)
        return recorded
      }),
    /** Records that the promotion changed at `at`. */
    touch,
    /** An accepted appeal: every rejected item (store, spots) becomes approved, decided at `at`. */
    approveRejected: (id: string, at: string): Promise<void> =>
      db.transaction(async () => {
        await db.run(
          "UPDATE promotions SET store_review_status = 'APPROVED', store_review_reason = NULL, store_decided_at = ? WHERE id = ? AND store_review_status = 'REJECTED'",
          [at, id],
        )
        await db.run(
          "UPDATE promotion_spots SET review_status = 'APPROVED', review_reason = NULL, decided_at = ? WHERE promotion_id = ? AND review_status = 'REJECTED'",
          [at, id],
        )
        await touch(id, at)
      }),
    /** A resubmission: the promotion's new content and review state (its spots are replaced separately). */
    setContent: async (id: string, content: PromotionContent): Promise<void> => {
      await db.run(
        `UPDATE promotions SET store_json = ?, merchant_json = ?, store_review_status = ?, store_review_reason = ?, store_decided_at = ?, status = ?,
           submitted_at = ?, updated_at = ? WHERE id = ?`,
        [
          content.store_json,
          content.merchant_json,
          content.store_review_status,
          content.store_review_reason,
          content.store_decided_at,
          content.status,
          content.submitted_at,
          content.updated_at,
          id,
        ],
      )
    },
    /** Removes every spot of the promotion (their Marketing Code bindings go with them). */
    deleteSpots: async (id: string): Promise<void> => {
      await db.run('DELETE FROM promotion_spots WHERE promotion_id = ?', [id])
    },
    insertReviewedSpot: async (row: SpotRow): Promise<void> => {
      await db.run(`INSERT INTO promotion_spots ${SPOT_COLUMNS}, review_status, review_reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        row.promotion_id,
        row.idx,
        row.position,
        row.position_note,
        row.photo_id,
        row.marketing_code,
        row.material_type,
        row.review_status,
        row.review_reason,
        row.decided_at,
      ])
    },
    /** One staff member's promotions created in [from, to) (ISO times), oldest first. */
    createdBetween: (staffId: string, from: string, to: string): Promise<PromotionRow[]> =>
      db.all<PromotionRow>(`${SELECT} WHERE p.staff_id = ? AND p.created_at >= ? AND p.created_at < ? ORDER BY p.created_at, p.id`, [staffId, from, to]),
    /** The spots of the same promotions, in one query (the results summary at 1 M promotions: no query per promotion). */
    spotsCreatedBetween: (staffId: string, from: string, to: string): Promise<SpotRow[]> =>
      db.all<SpotRow>(
        `SELECT s.* FROM promotion_spots s JOIN promotions p ON p.id = s.promotion_id
         WHERE p.staff_id = ? AND p.created_at >= ? AND p.created_at < ? ORDER BY s.promotion_id, s.idx`,
        [staffId, from, to],
      ),
    page,
  }
}

export type PromotionRepo = ReturnType<typeof createPromotionRepo>
