import { randomUUID } from 'node:crypto'
import type * as v from 'valibot'
import type { ErrorCode } from '../../../packages/contract/errors'
import { PRODUCTS, type ProductKind, type ReviewStatus } from '../../../packages/contract/promotion'
import {
  RESULT_FILTERS,
  type AppealView,
  type ProductStats,
  type PromotionDetail,
  type PromotionPage,
  type ResultFilter,
  type ResultsSummary,
} from '../../../packages/contract/results'
import type { AppealSchema, ResubmissionSchema } from '../../../packages/contract/schemas'
import { eligibility } from '../../../packages/contract/rules/eligibility'
import type { Clock } from '../clock'
import type { Db } from '../db'
import type { EvidenceChecks } from '../evidence/checks'
import { refreshEvidenceSummary } from '../evidence/summary-store'
import type { PhotoCheckService } from '../photo-checks/service'
import { ApiError } from '../errors'
import { storeOf, toPromotionView } from '../promotion-views'
import type { Repos } from '../repo'
import type { AppealRow } from '../repo/appeals'
import type { IsoRow } from '../repo/isos'
import type { PageCursor, PromotionFilter, PromotionRow, SpotRow } from '../repo/promotions'
import { addDays, asOfIn, daysBetween, monthOf, parseCalendarDate, startOfDayIn } from '../timezone'
import { checkBusinessHours, checkSpotLimit, spotRows, type Associated } from './promotions'

export type AppealInputParsed = v.InferOutput<typeof AppealSchema>
export type ResubmissionInputParsed = v.InferOutput<typeof ResubmissionSchema>

export interface ResultsServiceDeps {
  db: Db
  repos: Repos
  clock: Clock
  /** Near-duplicate photos and location trust, a Modify checked like a first submission (issue 26). */
  evidence: EvidenceChecks
  /** Photo quality and the code in the photo, recorded at a Modify as at a first submission (issue 26). */
  photoChecks: PhotoCheckService
}

/** Longest period the statistics answer, in days (inclusive). */
export const MAX_PERIOD_DAYS = 366
export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 50

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** An opaque keyset cursor: base64url of `[createdAt, id]`. */
export function encodeCursor(c: PageCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id]), 'utf8').toString('base64url')
}

export function decodeCursor(text: string): PageCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (!Array.isArray(value) || value.length !== 2) return null
    const [createdAt, id] = value as unknown[]
    if (typeof createdAt !== 'string' || !CURSOR_TIME.test(createdAt) || typeof id !== 'string' || id.length === 0 || id.length > 64) return null
    return { createdAt, id }
  } catch {
    return null
  }
}

/** A query parameter given once, as text (a repeated or odd one is `invalid`). */
function queryParam(query: unknown, name: string): string | undefined | { invalid: true } {
  const value = query && typeof query === 'object' ? (query as Record<string, unknown>)[name] : undefined
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : { invalid: true }
}

const invalidQuery = (field: string, message: string) => new ApiError(400, 'VALIDATION_FAILED', message, { [field]: 'VALIDATION_FAILED' })

/** The list's query: status (a ResultFilter), cursor, limit (1..50). */
export function parseListQuery(query: unknown): { filter: PromotionFilter; cursor: PageCursor | null; limit: number } {
  const status = queryParam(query, 'status')
  const cursor = queryParam(query, 'cursor')
  const limit = queryParam(query, 'limit')
  let filter: PromotionFilter = { kind: 'all' }
  if (status !== undefined) {
    if (typeof status !== 'string' || !(RESULT_FILTERS as readonly string[]).includes(status)) {
      throw invalidQuery('status', `status must be one of ${RESULT_FILTERS.join(', ')}.`)
    }
    const s = status as ResultFilter
    filter = s === 'APPEALED' ? { kind: 'appealed' } : { kind: 'status', status: s }
  }
  let size = DEFAULT_PAGE_SIZE
  if (limit !== undefined) {
    const n = typeof limit === 'string' && /^\d{1,3}$/.test(limit) ? Number(limit) : NaN
    if (!(n >= 1 && n <= MAX_PAGE_SIZE)) throw invalidQuery('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`)
    size = n
  }
  let after: PageCursor | null = null
  if (cursor !== undefined) {
    after = typeof cursor === 'string' ? decodeCursor(cursor) : null
    if (!after) throw invalidQuery('cursor', 'The cursor is not one this server gave.')
  }
  return { filter, cursor: after, limit: size }
}

/** The statistics' period: `from`..`to` (inclusive calendar dates), this month in the ISO's zone by default. */
export function parsePeriod(query: unknown, today: string): { from: string; to: string } {
  const month = monthOf(today)
  const read = (name: 'from' | 'to'): string => {
    const raw = queryParam(query, name)
    if (raw === undefined) return month[name]
    const date = typeof raw === 'string' ? parseCalendarDate(raw) : null
    if (!date) throw new ApiError(400, 'PERIOD_INVALID', `${name} must be a date written YYYY-MM-DD.`, { [name]: 'PERIOD_INVALID' })
    return date
  }
  const from = read('from')
  const to = read('to')
  const days = daysBetween(from, to) + 1
  if (days < 1) throw new ApiError(400, 'PERIOD_INVALID', 'from must not be after to.', { from: 'PERIOD_INVALID', to: 'PERIOD_INVALID' })
  if (days > MAX_PERIOD_DAYS) {
    throw new ApiError(400, 'PERIOD_INVALID', `The period is longer than ${MAX_PERIOD_DAYS} days.`, { from: 'PERIOD_INVALID', to: 'PERIOD_INVALID' })
  }
  return { from, to }
}

export function toAppealView(a: AppealRow): AppealView {
  return {
    id: a.id,
    reason: a.reason,
    photoIds: JSON.parse(a.photo_ids_json) as string[],
    status: a.status,
    reviewerReason: a.reviewer_reason,
    createdAt: a.created_at,
    decidedAt: a.decided_at,
  }
}

/** Canonical JSON (sorted keys), to tell whether submitted content changed. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

function sameSpotContent(a: Omit<SpotRow, 'promotion_id' | 'review_status' | 'review_reason' | 'decided_at'>, b: SpotRow): boolean {
  return (
    a.position === b.position &&
    (a.position_note ?? null) === (b.position_note ?? null) &&
    a.photo_id === b.photo_id &&
    a.marketing_code === b.marketing_code &&
    a.material_type === b.material_type
  )
}

/** Whether the store or a spot is rejected (something to appeal or modify). */
function hasRejection(p: PromotionRow, spots: readonly SpotRow[]): boolean {
  return p.store_review_status === 'REJECTED' || spots.some((s) => s.review_status === 'REJECTED')
}

/**
 * Review results (spec "View review result"): statistics as of the end of yesterday in the ISO's time
 * zone, the store list and detail, appeals and resubmissions (Modify), service-fee eligibility.
 */
export function createResultsService({ db, repos, clock, evidence, photoChecks }: ResultsServiceDeps) {
  async function ownPromotion(staffId: string, id: string): Promise<PromotionRow> {
    const p = await repos.promotions.findById(id)
    if (!p) throw new ApiError(404, 'NOT_FOUND', 'No such promotion.')
    if (p.staff_id !== staffId) throw new ApiError(403, 'FORBIDDEN', 'This promotion belongs to another staff member.')
    return p
  }

  /** The ISO of a promotion (for its time zone); the staff member's own ISO when the promotion's is gone. */
  async function isoOf(p: PromotionRow, fallback: IsoRow): Promise<IsoRow> {
    return p.iso_id === fallback.id ? fallback : ((await repos.isos.findById(p.iso_id)) ?? fallback)
  }

  async function detail(p: PromotionRow, iso: IsoRow): Promise<PromotionDetail> {
    const view = await toPromotionView(repos, p)
    const appeals = await repos.appeals.listForPromotion(p.id)
    const open = appeals.some((a) => a.status === 'OPEN')
    const rejected = view.storeReview.status === 'REJECTED' || view.spots.some((s) => s.review.status === 'REJECTED')
    const { moment } = asOfIn(clock.now(), (await isoOf(p, iso)).timezone)
    return {
      ...view,
      eligibility: eligibility(
        view.storeReview.status,
        view.spots.map((s) => s.review.status),
      ),
      listStatus: open ? 'APPEALED' : p.status,
      appeals: appeals.map(toAppealView),
      actions: { appeal: rejected && !open, modify: rejected && !open, verifyPayment: p.status === 'AWAITING_PAYMENT_VERIFICATION' },
      counted: p.created_at < moment.toISOString(),
      updatedAt: p.updated_at ?? p.created_at,
    }
  }

  /** Every photo is this staff member's upload, used by no other submission (nor its content). */
  async function checkPhotosFor(staffId: string, promotionId: string, photos: Array<[field: string, id: string]>): Promise<void> {
    const missing: Record<string, ErrorCode> = {}
    const repeated: Record<string, ErrorCode> = {}
    const hashes = new Set<string>()
    for (const [field, id] of photos) {
      const upload = await repos.uploads.findById(id)
      if (!upload || upload.staff_id !== staffId) missing[field] = 'PHOTO_MISSING'
      else if (
        (upload.promotion_id !== null && upload.promotion_id !== promotionId) ||
        upload.inspection_id !== null ||
        (await repos.uploads.isHashUsedElsewhere(upload.sha256, promotionId)) ||
        hashes.has(upload.sha256)
      ) {
        repeated[field] = 'PHOTO_REPEATED'
      } else hashes.add(upload.sha256)
    }
    if (Object.keys(missing).length > 0) throw new ApiError(422, 'PHOTO_MISSING', 'A photo was not uploaded by you; upload it again.', missing)
    if (Object.keys(repeated).length > 0) throw new ApiError(409, 'PHOTO_REPEATED', 'A photo is part of another submission already; take a new one.', repeated)
  }

  return {
    async summary({ staff, iso }: Associated, query: unknown): Promise<ResultsSummary> {
      const { today, asOf, moment } = asOfIn(clock.now(), iso.timezone)
      const { from, to } = parsePeriod(query, today)
      const start = startOfDayIn(from, iso.timezone).toISOString()
      const end = startOfDayIn(addDays(to, 1), iso.timezone).toISOString()
      const cutoff = moment.toISOString()
      // two queries whatever the number of promotions (indexed by staff and creation time)
      const [rows, allSpots] = await Promise.all([
        repos.promotions.createdBetween(staff.id, start, end),
        repos.promotions.spotsCreatedBetween(staff.id, start, end),
      ])
      const spotsOf = new Map<string, SpotRow[]>()
      for (const spot of allSpots) {
        const list = spotsOf.get(spot.promotion_id)
        if (list) list.push(spot)
        else spotsOf.set(spot.promotion_id, [spot])
      }
      const counted = rows.filter((p) => p.created_at < cutoff)
      /** An item's review state at the as-of moment: a decision made after it still counts as pending. */
      const asOfState = (status: ReviewStatus, decidedAt: string | null): ReviewStatus =>
        status !== 'PENDING' && decidedAt !== null && decidedAt < cutoff ? status : 'PENDING'

      const stats = new Map<ProductKind, ProductStats>(
        PRODUCTS.map((product) => [
          product,
          { product, promotedStores: 0, spotsSubmitted: 0, spotsApproved: 0, spotsRejected: 0, spotsPending: 0, eligiblePromotions: 0 },
        ]),
      )
      for (const p of counted) {
        const s = stats.get(p.product)
        if (!s) continue
        const spots = (spotsOf.get(p.id) ?? []).map((spot) => asOfState(spot.review_status, spot.decided_at))
        s.promotedStores += 1
        s.spotsSubmitted += spots.length
        s.spotsApproved += spots.filter((x) => x === 'APPROVED').length
        s.spotsRejected += spots.filter((x) => x === 'REJECTED').length
        s.spotsPending += spots.filter((x) => x === 'PENDING').length
        if (eligibility(asOfState(p.store_review_status, p.store_decided_at), spots).eligible) s.eligiblePromotions += 1
      }
      // Inspections accepted within the period, as of the same moment.
      const acceptedInspections = await repos.inspections.countAccepted(staff.id, start, end < cutoff ? end : cutoff)
      return { from, to, asOf, timezone: iso.timezone, products: [...stats.values()], notYetCounted: rows.length - counted.length, acceptedInspections }
    },

    async list({ staff, iso }: Associated, query: unknown): Promise<PromotionPage> {
      const { filter, cursor, limit } = parseListQuery(query)
      const rows = await repos.promotions.page(staff.id, filter, cursor, limit + 1)
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      const items: PromotionDetail[] = []
      for (const p of page) items.push(await detail(p, iso))
      return {
        items,
        nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
      }
    },

    async get({ staff, iso }: Associated, id: string): Promise<PromotionDetail> {
      return detail(await ownPromotion(staff.id, id), iso)
    },

    /** 404/403 before the body is read. */
    async requireOwn({ staff }: Associated, id: string): Promise<void> {
      await ownPromotion(staff.id, id)
    },

    /**
     * Appeal: the staff member keeps the submission and asks the reviewer to reconsider. Idempotent on
     * (staff member, clientId); 409 APPEAL_OPEN while one is open, 409 NOTHING_TO_APPEAL when nothing is rejected.
     */
    appeal: ({ staff, iso }: Associated, promotionId: string, input: AppealInputParsed): Promise<{ created: boolean; promotion: PromotionDetail }> =>
      db.transaction(async () => {
        const p = await ownPromotion(staff.id, promotionId)
        const earlier = await repos.appeals.findByClientId(staff.id, input.clientId)
        if (earlier) {
          if (earlier.promotion_id !== p.id) {
            throw new ApiError(409, 'INVALID_STATE', 'This clientId was used for an appeal of another promotion.', { clientId: 'VALIDATION_FAILED' })
          }
          return { created: false, promotion: await detail(p, iso) }
        }
        if (await repos.appeals.openForPromotion(p.id))
          throw new ApiError(409, 'APPEAL_OPEN', 'An appeal of this promotion is open already; wait for the reviewer.')
        if (!hasRejection(p, await repos.promotions.spots(p.id))) throw new ApiError(409, 'NOTHING_TO_APPEAL', 'Nothing in this promotion was rejected.')

        const photoIds = [...new Set(input.photoIds)]
        await checkPhotosFor(
          staff.id,
          p.id,
          photoIds.map((id, i): [string, string] => [`photoIds.${i}`, id]),
        )
        const at = clock.now().toISOString()
        for (const id of photoIds) await repos.uploads.markUsed(id, p.id)
        await repos.appeals.insert({
          id: `apl-${randomUUID()}`,
          promotion_id: p.id,
          staff_id: staff.id,
          client_id: input.clientId,
          reason: input.reason,
          photo_ids_json: JSON.stringify(photoIds),
          created_at: at,
        })
        await repos.promotions.touch(p.id, at)
        return { created: true, promotion: await detail((await repos.promotions.findById(p.id)) as PromotionRow, iso) }
      }),

    /**
     * Modify: the corrected submission replaces the store, merchant and spots; rejected or changed parts go
     * back to review (PENDING_REVIEW). Idempotent on (promotion, clientId).
     */
    resubmit: async (
      { staff, iso }: Associated,
      promotionId: string,
      input: ResubmissionInputParsed,
      keptPhotoIds: readonly string[] = [],
    ): Promise<{ created: boolean; promotion: PromotionDetail }> => {
      // the codes of spot photos not decoded at upload: CPU work, never inside the transaction
      await photoChecks.prepareSubmission(input)
      return db.transaction(async () => {
        const p = await ownPromotion(staff.id, promotionId)
        if (await repos.resubmissions.findByClientId(p.id, input.clientId)) return { created: false, promotion: await detail(p, iso) }
        if (input.product !== p.product) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'A resubmission keeps the product of the promotion.', { product: 'CHOICE_REQUIRED' })
        }
        const oldSpots = await repos.promotions.spots(p.id)
        if (await repos.appeals.openForPromotion(p.id))
          throw new ApiError(409, 'INVALID_STATE', 'An appeal of this promotion is open; wait for the reviewer before modifying it.')
        if (!hasRejection(p, oldSpots)) throw new ApiError(409, 'INVALID_STATE', 'Nothing in this promotion was rejected; there is nothing to modify.')

        checkSpotLimit(iso, input.spots.length)
        const now = clock.now()
        const at = now.toISOString()
        const { store, merchant } = input
        checkBusinessHours(iso, now, store)
        const photos: Array<[string, string]> = [
          ['store.storefrontPhotoId', store.storefrontPhotoId],
          ...input.spots.map((s, i): [string, string] => [`spots.${i}.photoId`, s.photoId]),
        ]
        await checkPhotosFor(staff.id, p.id, photos)
        // checked like a first submission (evidence/checks.ts): a changed photo like another store's is refused
        // (409 PHOTO_REUSED), the flags recomputed for the photos and store location as they are now
        const earlier = new Set([storeOf(p).storefrontPhotoId, ...oldSpots.map((s) => s.photo_id)])
        const flags = await evidence.beforeSubmit(store, photos, {
          ownPromotionId: p.id,
          changed: new Set(photos.map(([, id]) => id).filter((id) => !earlier.has(id))),
        })

        const spots = spotRows(input.spots)
        const bound: Record<string, ErrorCode> = {}
        const boundAt = new Map<string, string>()
        for (const s of spots) {
          const binding = s.marketing_code ? await repos.codes.findBinding(s.marketing_code) : undefined
          if (binding && binding.promotion_id !== p.id) bound[`spots.${s.idx}.marketingCode`] = 'CODE_BOUND'
          else if (binding) boundAt.set(binding.code, binding.bound_at)
        }
        if (Object.keys(bound).length > 0) throw new ApiError(409, 'CODE_BOUND', 'A Marketing Code is bound to another spot already.', bound)

        // Spots: an approved spot stays approved only when it is unchanged; everything else goes back to review.
        const reviewed = spots.map((s): SpotRow => {
          const old = oldSpots.find((o) => o.idx === s.idx)
          const keep = old !== undefined && old.review_status === 'APPROVED' && sameSpotContent(s, old)
          return {
            promotion_id: p.id,
            ...s,
            review_status: keep ? 'APPROVED' : 'PENDING',
            review_reason: keep ? old.review_reason : null,
            decided_at: keep ? old.decided_at : null,
          }
        })
        // The store (with the merchant information): back to review when it was rejected or changed, or
        // when nothing else would be left to review (e.g. the rejected spot was removed).
        const storeChanged = canonical(JSON.parse(p.store_json)) !== canonical(store) || canonical(JSON.parse(p.merchant_json)) !== canonical(merchant)
        const nothingPending = reviewed.every((s) => s.review_status !== 'PENDING')
        const resetStore = p.store_review_status === 'REJECTED' || storeChanged || nothingPending
        await repos.promotions.deleteSpots(p.id) // releases their Marketing Codes
        for (const s of reviewed) {
          await repos.promotions.insertReviewedSpot(s)
          if (s.marketing_code) await repos.codes.bind(s.marketing_code, p.id, s.idx, boundAt.get(s.marketing_code) ?? at)
        }
        await repos.uploads.markManyUsed([store.storefrontPhotoId, ...spots.map((s) => s.photo_id)], p.id)
        await repos.promotions.setContent(p.id, {
          store_json: JSON.stringify(store),
          merchant_json: JSON.stringify(merchant),
          store_review_status: resetStore ? 'PENDING' : p.store_review_status,
          store_review_reason: resetStore ? null : p.store_review_reason,
          store_decided_at: resetStore ? null : p.store_decided_at,
          status: 'PENDING_REVIEW',
          submitted_at: at,
          updated_at: at,
        })
        await evidence.replace(p.id, flags)
        await repos.resubmissions.insert({ id: `rsb-${randomUUID()}`, promotion_id: p.id, client_id: input.clientId, created_at: at })
        // issue 26: photos kept after a quality warning, each spot photo's code against the scanned one, and the
        // evidence summary from what was just recorded
        await photoChecks.recordSubmission(input, keptPhotoIds)
        await refreshEvidenceSummary(repos, p.id, now)
        return { created: true, promotion: await detail((await repos.promotions.findById(p.id)) as PromotionRow, iso) }
      })
    },
  }
}

export type ResultsService = ReturnType<typeof createResultsService>
