/**
 * Review results: statistics with the one-day delay, the list and detail of submissions, appeals and
 * resubmissions (Modify), and service-fee eligibility.
 */
import type { MissingApproval } from './rules/eligibility'
import type { ProductKind, PromotionCreate, PromotionView } from './promotion'

/** Filters of the store list (what the staff member sees; APPEALED = an appeal is open). */
export const RESULT_FILTERS = ['PENDING_REVIEW', 'AWAITING_PAYMENT_VERIFICATION', 'APPROVED', 'REJECTED', 'APPEALED'] as const
export type ResultFilter = (typeof RESULT_FILTERS)[number]

export interface ProductStats {
  product: ProductKind
  /** Stores promoted (submissions made) in the period, up to the as-of moment. */
  promotedStores: number
  spotsSubmitted: number
  spotsApproved: number
  spotsRejected: number
  spotsPending: number
  /** Promotions whose store and every spot Alipay+ approved (service fee eligible). */
  eligiblePromotions: number
}

export interface ResultsSummary {
  /** The period asked, as calendar dates in the ISO's time zone (inclusive). */
  from: string
  to: string
  /** Figures are as of the end of this day (yesterday in the ISO's time zone): the one-day delay. */
  asOf: string
  timezone: string
  products: ProductStats[]
  /** Submissions made after the as-of moment: listed, not yet counted. */
  notYetCounted: number
  /** Spot inspections accepted in the period (as of the same moment): they count toward the spot inspection fee. */
  acceptedInspections: number
}

export type AppealStatus = 'OPEN' | 'ACCEPTED' | 'REJECTED'

export interface AppealView {
  id: string
  reason: string
  photoIds: string[]
  status: AppealStatus
  reviewerReason: string | null
  createdAt: string
  decidedAt: string | null
}

export interface AppealInput {
  /** Idempotency key. */
  clientId: string
  /** Why the reviewer should reconsider (required, at most 500 characters). */
  reason: string
  photoIds: string[]
  /** Issue 26: the photos whose quality warning the staff member saw and kept (Keep anyway); recorded. Absent: none. */
  keptPhotoIds?: string[]
}

/** Modify: the whole submission again, corrected; rejected parts go back to review. */
export type ResubmissionInput = Omit<PromotionCreate, 'product' | 'paymentVerificationIds'> & { product: ProductKind }

export interface PromotionDetail extends PromotionView {
  /** Whether Alipay+ approved the store and every spot, and what is still missing. */
  eligibility: { eligible: boolean; missing: MissingApproval[] }
  /** Listed status, with APPEALED while an appeal is open. */
  listStatus: ResultFilter
  appeals: AppealView[]
  /** What the staff member may do now. */
  actions: { appeal: boolean; modify: boolean; verifyPayment: boolean }
  /** The submission is newer than the statistics' as-of moment. */
  counted: boolean
  updatedAt: string
}

export interface PromotionPage {
  items: PromotionDetail[]
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null
}
