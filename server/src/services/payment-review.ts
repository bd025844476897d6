import type { Clock } from '../clock'
import type { Db } from '../db'
import type { NotificationService } from '../notifications/service'
import { storeOf } from '../promotion-views'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import { refreshEvidenceSummary } from '../evidence/summary-store'
import type { ReviewService } from './review'

export type PaymentReviewDecision = { status: 'CONFIRMED' } | { status: 'REJECTED'; reason: string }

export type PaymentReviewResult =
  | { ok: true; verification: PaymentVerificationRow; page: string }
  | { ok: false; problem: 'not_found' | 'not_for_review' }
  | { ok: false; problem: 'already_decided'; verification: PaymentVerificationRow; page: string }

/** The console page a verification is shown on (its promotion's or its inspection's). */
function pageOf(v: PaymentVerificationRow): string {
  if (v.inspection_id) return `/console/inspections/${encodeURIComponent(v.inspection_id)}`
  return v.promotion_id ? `/console/promotions/${encodeURIComponent(v.promotion_id)}` : '/console/promotions'
}

/**
 * Manual review (PAYMENT_VERIFICATION=manual, issue 25): the Alipay+ reviewer confirms or rejects each mode's
 * evidence; the staff member is notified of each decision. Once everything is decided (review.completeIfDecided) a
 * confirmed payment counts as approved; a rejected one sends its promotion back to payment verification (the
 * staff member verifies that mode again, the notice says so) unless a store or spot is rejected too (REJECTED).
 */
export function createPaymentReviewService(deps: { db: Db; repos: Repos; clock: Clock; notifications: NotificationService; review: ReviewService }) {
  const { db, repos, clock, notifications, review } = deps

  async function decide(actor: Actor, id: string, decision: PaymentReviewDecision): Promise<PaymentReviewResult> {
    const before = await repos.verifications.findById(id)
    if (!before) return { ok: false, problem: 'not_found' }
    if (before.checked_by !== 'REVIEWER' || !before.review_status) return { ok: false, problem: 'not_for_review' }
    if (before.review_status !== 'PENDING') return { ok: false, problem: 'already_decided', verification: before, page: pageOf(before) }
    const at = clock.now().toISOString()
    const reason = decision.status === 'REJECTED' ? decision.reason : null
    if (!(await repos.verifications.review(id, decision.status, reason, actor.id, at))) {
      return { ok: false, problem: 'already_decided', verification: before, page: pageOf(before) }
    }
    const task = before.inspection_id ? await repos.inspections.findById(before.inspection_id) : undefined
    const promotionId = before.promotion_id ?? task?.promotion_id ?? null
    // the promotion's outcome first: a rejection that sends it back to payment verification says so in its notice
    const promotionStatus = before.promotion_id ? await review.completeIfDecided(before.promotion_id, at, id) : null
    // issue 26 item 5: a payment the reviewer rejected (or confirmed) changes the promotion's evidence summary
    if (before.promotion_id) await refreshEvidenceSummary(repos, before.promotion_id, clock.now())
    const promotion = promotionId ? await repos.promotions.findById(promotionId) : undefined
    const store = promotion ? storeOf(promotion).name : ''
    const params = { mode: before.mode, store, ...(task ? { taskId: task.id } : { promotionId: promotionId ?? '' }) }
    const verifyAgain = promotionStatus === 'AWAITING_PAYMENT_VERIFICATION'
    await notifications.enqueue(
      `payment:${id}:${decision.status}`,
      before.staff_id,
      decision.status === 'CONFIRMED'
        ? { kind: 'PAYMENT_CONFIRMED', params }
        : { kind: 'PAYMENT_REJECTED', params: { ...params, reason: decision.reason, ...(verifyAgain ? { next: 'VERIFY_AGAIN' as const } : {}) } },
    )
    await repos.audit.append(actor, at, {
      action: decision.status === 'CONFIRMED' ? 'payment.confirm' : 'payment.reject',
      subjectType: task ? 'inspection' : 'promotion',
      subjectId: task?.id ?? promotionId ?? id,
      isoId: promotion?.iso_id ?? null,
      before: { verification: id, mode: before.mode, reference: before.reference, review: 'PENDING' },
      after: { verification: id, mode: before.mode, reference: before.reference, review: decision.status },
      reason,
    })
    return { ok: true, verification: (await repos.verifications.findById(id)) as PaymentVerificationRow, page: pageOf(before) }
  }

  return {
    decide: (actor: Actor, id: string, decision: PaymentReviewDecision): Promise<PaymentReviewResult> => db.transaction(() => decide(actor, id, decision)),
  }
}

export type PaymentReviewService = ReturnType<typeof createPaymentReviewService>
