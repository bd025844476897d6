import type { Clock } from '../clock'
import type { Db } from '../db'
import type { NotificationService } from '../notifications/service'
import { storeOf } from '../promotion-views'
import type { Repos } from '../repo'
import type { Actor } from '../repo/audit'
import type { AppealRow } from '../repo/appeals'
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
 * Alipay+ review of submitted promotions (console): the store and every spot are approved or rejected with
 * a reason; once all are decided the promotion is APPROVED (all approved) or REJECTED.
 */
export function createReviewService({ db, repos, clock, notifications }: { db: Db; repos: Repos; clock: Clock; notifications: NotificationService }) {
  /**
   * Once the store, every spot and (payment evidence checked by a reviewer, issue 25) every payment are decided,
   * the promotion is APPROVED (all approved or confirmed) or REJECTED, and its staff member hears of it.
   */
  async function completeIfDecided(promotionId: string, at: string): Promise<void> {
    const after = (await repos.promotions.findById(promotionId)) as PromotionRow
    if (after.status !== 'PENDING_REVIEW') return
    const payments = (await repos.verifications.listForPromotion(promotionId)).filter((v) => v.review_status)
    const statuses = [
      after.store_review_status,
      ...(await repos.promotions.spots(promotionId)).map((s) => s.review_status),
      ...payments.map((v) => (v.review_status === 'CONFIRMED' ? 'APPROVED' : v.review_status)),
    ]
    if (statuses.includes('PENDING')) return
    const status = statuses.every((s) => s === 'APPROVED') ? 'APPROVED' : 'REJECTED'
    await repos.promotions.setStatus(promotionId, status, null, at, at)
    // the promotion's review is complete: its staff member hears of it (once per decision: a resubmission
    // reviewed again is another decision)
    await notifications.enqueue(`promotion:${promotionId}:decided:${at}`, after.staff_id, {
      kind: status === 'APPROVED' ? 'PROMOTION_APPROVED' : 'PROMOTION_REJECTED',
      params: { promotionId, store: storeOf(after).name, product: after.product },
    })
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
   * An appeal: accepted → every rejected item becomes approved (decided now) and the promotion is APPROVED
   * once every item is; rejected → the items stay rejected (the staff member can still modify).
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
      const statuses = [after.store_review_status, ...(await repos.promotions.spots(promotionId)).map((s) => s.review_status)]
      if (statuses.every((s) => s === 'APPROVED') && after.status !== 'APPROVED') await repos.promotions.setStatus(promotionId, 'APPROVED', null, at, at)
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
    /** Once every part of a promotion in review is decided (store, spots, payments checked by a reviewer), its outcome. */
    completeIfDecided,
    decide: (actor: Actor, promotionId: string, target: ReviewTarget, decision: ReviewDecision): Promise<ReviewResult> =>
      db.transaction(() => decide(actor, promotionId, target, decision)),
    decideAppeal: (actor: Actor, promotionId: string, appealId: string, decision: AppealDecision): Promise<AppealResult> =>
      db.transaction(() => decideAppeal(actor, promotionId, appealId, decision)),
  }
}

export type ReviewService = ReturnType<typeof createReviewService>
