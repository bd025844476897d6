import type { PromotionStatus, ReviewStatus } from '../../../packages/contract/promotion'
import { latestPerMode } from '../../../packages/contract/rules/payment'
import type { Clock } from '../clock'
import type { Db } from '../db'
import type { NotificationService } from '../notifications/service'
import { storeOf } from '../promotion-views'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { AppealRow } from '../repo/appeals'
import type { PaymentVerificationRow } from '../repo/payment-verifications'
import type { PromotionRow } from '../repo/promotions'

export type ReviewDecision = { status: 'APPROVED' } | { status: 'REJECTED'; reason: string }

/** What a decision is about: the store, or one spot by its index. */
export type ReviewTarget = { kind: 'store' } | { kind: 'spot'; index: number }

export type ReviewResult =
  | { ok: true; promotion: PromotionRow }
  | { ok: false; problem: 'not_found' | 'no_such_spot' }
  | { ok: false; problem: 'not_in_review' | 'already_decided'; promotion: PromotionRow }

export type AppealDecision = { status: 'ACCEPTED' } | { status: 'REJECTED'; reason: string }

export type AppealResult =
  | { ok: true; promotion: PromotionRow; appeal: AppealRow }
  | { ok: false; problem: 'not_found' | 'no_such_appeal' }
  | { ok: false; problem: 'already_decided'; promotion: PromotionRow; appeal: AppealRow }

/**
 * What the review of a promotion comes to, from its store's and spots' decisions and the payment verification that
 * counts for each mode (the latest: rules/payment.ts latestPerMode), evidence checked by a reviewer decided by them:
 * - PENDING: something is still undecided (nothing changes yet);
 * - REJECTED: the store or a spot is rejected (the staff member modifies or appeals);
 * - AWAITING_PAYMENT_VERIFICATION: everything else approved, but the reviewer rejected a mode's payment evidence:
 *   the staff member verifies that payment again (an appeal is for stores and spots, never for a payment);
 * - APPROVED: everything approved, every payment confirmed (or looked up).
 */
export function reviewOutcome(
  items: readonly ReviewStatus[],
  latestPayments: ReadonlyArray<Pick<PaymentVerificationRow, 'status' | 'review_status'>>,
): 'PENDING' | 'APPROVED' | 'REJECTED' | 'AWAITING_PAYMENT_VERIFICATION' {
  if (items.includes('PENDING') || latestPayments.some((v) => v.review_status === 'PENDING')) return 'PENDING'
  if (items.includes('REJECTED')) return 'REJECTED'
  // a rejected payment is recorded FAILED (repo/payment-verifications.ts review): any latest payment not passed
  return latestPayments.some((v) => v.status !== 'PASSED') ? 'AWAITING_PAYMENT_VERIFICATION' : 'APPROVED'
}

/**
 * Alipay+ review of submitted promotions (console): the store and every spot are approved or rejected with
 * a reason; once all are decided the promotion is APPROVED (all approved) or REJECTED; a rejected payment
 * (manual review) sends it back to payment verification (reviewOutcome).
 */
export function createReviewService({ db, repos, clock, notifications }: { db: Db; repos: Repos; clock: Clock; notifications: NotificationService }) {
  /** The promotion's review outcome as it stands, with the latest verification of each mode. */
  async function outcomeOf(p: PromotionRow): Promise<{ outcome: ReturnType<typeof reviewOutcome>; latest: PaymentVerificationRow[] }> {
    const latest = latestPerMode(await repos.verifications.listForPromotion(p.id))
    const items = [p.store_review_status, ...(await repos.promotions.spots(p.id)).map((s) => s.review_status)]
    return { outcome: reviewOutcome(items, latest), latest }
  }

  /**
   * The promotion goes back to payment verification: the staff member hears, for each mode whose payment the
   * reviewer rejected, to verify that payment again (PAYMENT_REJECTED saying so; no "promotion approved").
   * `told`: the verification whose own rejection notice, sent by the caller, says it already.
   */
  async function sendBackToPayment(p: PromotionRow, latest: readonly PaymentVerificationRow[], at: string, told?: string): Promise<void> {
    await repos.promotions.setStatus(p.id, 'AWAITING_PAYMENT_VERIFICATION', null, null, at)
    for (const v of latest) {
      if (v.review_status !== 'REJECTED' || v.id === told) continue
      await notifications.enqueue(`payment:${v.id}:verify-again`, p.staff_id, {
        kind: 'PAYMENT_REJECTED',
        params: { mode: v.mode, store: storeOf(p).name, promotionId: p.id, reason: v.review_reason ?? '', next: 'VERIFY_AGAIN' },
      })
    }
  }

  /**
   * Once the store, every spot and (payment evidence checked by a reviewer, issue 25) the latest payment of each
   * mode are decided, the promotion's outcome (reviewOutcome), and its staff member hears of it. Answers the
   * promotion's status afterwards. `told`: as for sendBackToPayment.
   */
  async function completeIfDecided(promotionId: string, at: string, told?: string): Promise<PromotionStatus> {
    const after = (await repos.promotions.findById(promotionId)) as PromotionRow
    if (after.status !== 'PENDING_REVIEW') return after.status
    const { outcome, latest } = await outcomeOf(after)
    if (outcome === 'PENDING') return after.status
    if (outcome === 'AWAITING_PAYMENT_VERIFICATION') {
      await sendBackToPayment(after, latest, at, told)
      return outcome
    }
    await repos.promotions.setStatus(promotionId, outcome, null, at, at)
    // the promotion's review is complete: its staff member hears of it (once per decision: a resubmission
    // reviewed again is another decision)
    await notifications.enqueue(`promotion:${promotionId}:decided:${at}`, after.staff_id, {
      kind: outcome === 'APPROVED' ? 'PROMOTION_APPROVED' : 'PROMOTION_REJECTED',
      params: { promotionId, store: storeOf(after).name, product: after.product },
    })
    return outcome
  }

  async function decide(actor: Actor, promotionId: string, target: ReviewTarget, decision: ReviewDecision): Promise<ReviewResult> {
    const promotion = await repos.promotions.findById(promotionId)
    if (!promotion) return { ok: false, problem: 'not_found' }
    const spots = await repos.promotions.spots(promotionId)
    if (target.kind === 'spot' && !spots.some((s) => s.idx === target.index)) return { ok: false, problem: 'no_such_spot' }
    if (promotion.status !== 'PENDING_REVIEW') return { ok: false, problem: 'not_in_review', promotion }
    const reason = decision.status === 'REJECTED' ? decision.reason : null
    const at = clock.now().toISOString()
    const recorded =
      target.kind === 'store'
        ? await repos.promotions.reviewStore(promotionId, decision.status, reason, at)
        : await repos.promotions.reviewSpot(promotionId, target.index, decision.status, reason, at)
    if (!recorded) return { ok: false, problem: 'already_decided', promotion }

    await completeIfDecided(promotionId, at)
    const verb = decision.status === 'APPROVED' ? 'approve' : 'reject'
    const promotionStatus = (await repos.promotions.findById(promotionId))?.status ?? promotion.status
    await repos.audit.append(actor, at, {
      action: target.kind === 'store' ? `promotion.store.${verb}` : `promotion.spot.${verb}`,
      subjectType: 'promotion',
      subjectId: promotionId,
      isoId: promotion.iso_id,
      before: { item: target.kind === 'store' ? 'store' : `spot ${target.index + 1}`, review: 'PENDING', promotion: promotion.status },
      after: {
        item: target.kind === 'store' ? 'store' : `spot ${target.index + 1}`,
        review: decision.status,
        promotion: promotionStatus,
      },
      reason,
    })
    return { ok: true, promotion: (await repos.promotions.findById(promotionId)) as PromotionRow }
  }

  /**
   * An appeal (of stores and spots, never of a payment): accepted → every rejected item becomes approved (decided
   * now) and the promotion is APPROVED once every item is and every payment confirmed, or — a payment rejected by
   * the reviewer — goes back to payment verification, never APPROVED; rejected → the items stay rejected (the
   * staff member can still modify).
   */
  async function decideAppeal(actor: Actor, promotionId: string, appealId: string, decision: AppealDecision): Promise<AppealResult> {
    const promotion = await repos.promotions.findById(promotionId)
    if (!promotion) return { ok: false, problem: 'not_found' }
    const appeal = await repos.appeals.findById(appealId)
    if (!appeal || appeal.promotion_id !== promotionId) return { ok: false, problem: 'no_such_appeal' }
    const at = clock.now().toISOString()
    if (!(await repos.appeals.decide(appealId, decision.status, decision.status === 'REJECTED' ? decision.reason : null, at))) {
      return { ok: false, problem: 'already_decided', promotion, appeal }
    }
    if (decision.status === 'ACCEPTED') {
      await repos.promotions.approveRejected(promotionId, at)
      const after = (await repos.promotions.findById(promotionId)) as PromotionRow
      const { outcome, latest } = await outcomeOf(after)
      // anything still undecided (an appeal made while the review goes on): completeIfDecided decides it later
      if (outcome === 'APPROVED' && after.status !== 'APPROVED') await repos.promotions.setStatus(promotionId, 'APPROVED', null, at, at)
      if (outcome === 'AWAITING_PAYMENT_VERIFICATION' && after.status !== outcome) await sendBackToPayment(after, latest, at)
    } else {
      await repos.promotions.touch(promotionId, at)
    }
    const promotionStatus = (await repos.promotions.findById(promotionId))?.status ?? promotion.status
    await repos.audit.append(actor, at, {
      action: decision.status === 'ACCEPTED' ? 'appeal.accept' : 'appeal.reject',
      subjectType: 'promotion',
      subjectId: promotionId,
      isoId: promotion.iso_id,
      before: { appeal: appealId, status: 'OPEN', promotion: promotion.status },
      after: { appeal: appealId, status: decision.status, promotion: promotionStatus },
      reason: decision.status === 'REJECTED' ? decision.reason : null,
    })
    const store = storeOf(promotion).name
    await notifications.enqueue(
      `appeal:${appealId}`,
      appeal.staff_id,
      decision.status === 'ACCEPTED'
        ? { kind: 'APPEAL_ACCEPTED', params: { promotionId, store } }
        : { kind: 'APPEAL_REJECTED', params: { promotionId, store, reason: decision.reason } },
    )
    return {
      ok: true,
      promotion: (await repos.promotions.findById(promotionId)) as PromotionRow,
      appeal: (await repos.appeals.findById(appealId)) as AppealRow,
    }
  }

  return {
    /** Once every part of a promotion in review is decided (store, spots, latest payments checked by a reviewer), its outcome. */
    completeIfDecided,
    decide: (actor: Actor, promotionId: string, target: ReviewTarget, decision: ReviewDecision): Promise<ReviewResult> =>
      // one decision of a promotion at a time (PostgreSQL: its key; README "Running at scale", Replicas)
      db.transaction(() => decide(actor, promotionId, target, decision), { locks: [`promotion:${promotionId}`] }),
    decideAppeal: (actor: Actor, promotionId: string, appealId: string, decision: AppealDecision): Promise<AppealResult> =>
      db.transaction(() => decideAppeal(actor, promotionId, appealId, decision), { locks: [`promotion:${promotionId}`] }),
  }
}

export type ReviewService = ReturnType<typeof createReviewService>
