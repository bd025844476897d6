import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorCode } from '../../../../packages/contract/errors'
import { RejectReasonSchema, validate } from '../../../../packages/contract/schemas'
import type { AppContext } from '../../context'
import { merchantOf, storeOf } from '../../promotion-views'
import type { PromotionListRow, PromotionRow, QueueCursor, QueueRow } from '../../repo/promotions'
import { refreshEvidenceSummary, storedSummary, summariseMissing } from '../../evidence/summary-store'
import type { EvidenceSummary } from '../../evidence/summary'
import { DEFAULT_QUEUE_QUERY, parseQueueQuery, queueFilter, QUEUE_PAGE_SIZE } from '../review-queue-query'
import type { PaymentReviewDecision } from '../../services/payment-review'
import type { AppealResult, ReviewDecision, ReviewResult, ReviewTarget } from '../../services/review'
import {
  appealPhotoIds,
  renderPromotionDetailPage,
  renderPromotionQueuePage,
  STATUS_LABELS,
  type PromotionListItem,
  type PromotionQueueModel,
  type ReviewFormError,
  type ReviewQueuePage,
} from '../render-promotions'
import { actorOf } from '../../services/console-accounts'
import { accountOf, requireCapability, viewerOf } from '../guard'
import type { Viewer } from '../layout'
import { historySection } from '../render-accounts'
import { field, sendMessage, sendPage } from '../respond'

const REASON_MESSAGES: Partial<Record<ErrorCode, string>> = {
  REQUIRED: 'Enter a reason: the staff member sees it and can correct the submission.',
  TEXT_TOO_LONG: 'The reason is too long (500 characters at most).',
}

/** The oldest promotions awaiting payment verification shown below the queue (the queue filtered by that status lists all). */
const AWAITING_SHOWN = 20

type IdParams = { Params: { id: string } }
type SpotParams = { Params: { id: string; index: string } }
type AppealParams = { Params: { id: string; appealId: string } }

const APPEAL_REASON_MESSAGES: Partial<Record<ErrorCode, string>> = {
  REQUIRED: 'Enter a reason: the staff member sees why the appeal was rejected.',
  TEXT_TOO_LONG: 'The reason is too long (500 characters at most).',
}

/**
 * The Alipay+ review of promotions in the console (registered inside the console plugin, so behind its
 * session, CSRF and cross-site checks and security headers; Alipay+ reviewers and administrators): the queue, a promotion's detail with its photos,
 * and decisions on the store and each spot.
 */
/** The queue's items with their evidence flags (one query for all). */
async function withEvidenceFlags(ctx: AppContext, model: PromotionQueueModel): Promise<PromotionQueueModel> {
  const items = [...model.queue.items, ...model.awaitingPayment, ...model.decided]
  const flags = await ctx.repos.evidence.flagKindsFor(items.map((i) => i.row.id))
  for (const i of items) i.flags = flags.get(i.row.id)
  return model
}

/** Promotions stored before the evidence summary are summarised this many at a time, by each queue request. */
const LAZY_SUMMARIES_PER_REQUEST = 200

const cursorOf = (r: QueueRow): QueueCursor => ({ rank: r.evidence_rank, at: r.queued_at, id: r.id })

/** A queue row as listed: the promotion, its store and its stored evidence summary. */
const queueItem = (row: QueueRow): PromotionListItem => ({ row, store: storeOf(row), summary: storedSummary(row.evidence_level, row.evidence_reasons) })

/**
 * One page of the review queue: QUEUE_PAGE_SIZE rows from the keyset position, one more read to know whether a
 * page follows (or, paging back, precedes).
 */
async function queuePage(ctx: AppContext, rawQuery: unknown): Promise<ReviewQueuePage> {
  const isos = await ctx.repos.isos.list()
  const { query, problems } = parseQueueQuery(rawQuery, new Set(isos.map((i) => i.id)))
  const rows = await ctx.repos.promotions.queuePage(queueFilter(query), query.sort, { after: query.after, before: query.before }, QUEUE_PAGE_SIZE + 1)
  const backwards = query.before !== undefined
  const more = rows.length > QUEUE_PAGE_SIZE
  const shown = backwards ? rows.slice(rows.length - Math.min(rows.length, QUEUE_PAGE_SIZE)) : rows.slice(0, QUEUE_PAGE_SIZE)
  const first = shown[0]
  const last = shown[shown.length - 1]
  const hasPrevious = backwards ? more : query.after !== undefined
  const hasNext = backwards ? true : more
  return {
    query,
    problems,
    isos,
    items: shown.map(queueItem),
    previous: hasPrevious && first ? cursorOf(first) : undefined,
    next: hasNext && last ? cursorOf(last) : undefined,
    paged: query.after !== undefined || query.before !== undefined,
  }
}

export function promotionReviewRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.addHook('preHandler', requireCapability('promotions'))
    const item = (row: PromotionListRow): PromotionListItem => ({ row, store: storeOf(row), summary: storedSummary(row.evidence_level, row.evidence_reasons) })

    /** The promotion's stored evidence summary, computed now when it has none yet (stored before it existed). */
    async function summaryOf(promotion: PromotionRow): Promise<EvidenceSummary | null> {
      const stored = await ctx.repos.promotions.evidenceSummaryOf(promotion.id)
      return storedSummary(stored?.evidence_level ?? null, stored?.evidence_reasons ?? null) ?? refreshEvidenceSummary(ctx.repos, promotion.id, ctx.clock.now())
    }

    async function detailPage(
      viewer: Viewer,
      promotion: PromotionRow,
      extra: { notice?: string | null; error?: ReviewFormError; appealError?: { message: string; reason: string } } = {},
    ): Promise<string> {
      const spots = await ctx.repos.promotions.spots(promotion.id)
      const appeals = await ctx.repos.appeals.listForPromotion(promotion.id)
      const photoIds = [storeOf(promotion).storefrontPhotoId, ...spots.map((s) => s.photo_id), ...appeals.flatMap(appealPhotoIds)]
      return renderPromotionDetailPage(viewer, {
        promotion,
        staffName: (await ctx.repos.staff.findById(promotion.staff_id))?.name ?? promotion.staff_id,
        isoName: (await ctx.repos.isos.findById(promotion.iso_id))?.name ?? promotion.iso_id,
        store: storeOf(promotion),
        merchant: merchantOf(promotion),
        spots,
        photoChecks: await ctx.photoChecks.forPhotos(photoIds),
        verifications: await ctx.repos.verifications.listForPromotion(promotion.id),
        appeals,
        notice: extra.notice ?? null,
        error: extra.error,
        appealError: extra.appealError,
        history: historySection(await ctx.repos.audit.forSubject('promotion', promotion.id)),
        evidenceFlags: await ctx.repos.evidence.flagsForPromotion(promotion.id),
        evidenceSummary: await summaryOf(promotion),
      })
    }

    /** The confirmation after a redirect: `?done=store-approved|store-rejected|spot-approved|spot-rejected&spot=<index>`. */
    function notice(promotion: PromotionRow, query: unknown): string | null {
      const done = field(query, 'done')
      if (done === 'appeal-accepted') {
        return `Accepted the appeal: every rejected item is approved.${
          promotion.status === 'APPROVED'
            ? ' The promotion is Approved.'
            : promotion.status === 'AWAITING_PAYMENT_VERIFICATION'
              ? ' The rejected payment stays rejected: the promotion awaits a new payment verification.'
              : ''
        }`
      }
      if (done === 'appeal-rejected') return 'Rejected the appeal. The items stay rejected; the staff member sees your reason and can modify the submission.'

      const spot = Number(field(query, 'spot'))
      const what =
        done === 'store-approved' || done === 'store-rejected'
          ? 'the store'
          : (done === 'spot-approved' || done === 'spot-rejected') && Number.isInteger(spot) && spot >= 0
            ? `spot ${spot + 1}`
            : null
      if (!what) return null
      const verb = typeof done === 'string' && done.endsWith('approved') ? 'Approved' : 'Rejected'
      const final =
        promotion.status === 'APPROVED' || promotion.status === 'REJECTED'
          ? ` Every item is decided: the promotion is ${STATUS_LABELS[promotion.status]}.`
          : promotion.status === 'AWAITING_PAYMENT_VERIFICATION'
            ? ' Every item is decided, but a payment was rejected: the promotion awaits a new payment verification.'
            : ''
      return `${verb} ${what}.${final}`
    }

    function refused(reply: FastifyReply, result: Exclude<ReviewResult, { ok: true }>): FastifyReply {
      switch (result.problem) {
        case 'not_found':
          return sendMessage(reply, 404, 'Promotion not found', 'There is no such promotion.')
        case 'no_such_spot':
          return sendMessage(reply, 404, 'Spot not found', 'This promotion has no such spot.')
        case 'not_in_review':
          return sendMessage(reply, 409, 'Not in review', `This promotion is not pending review (${STATUS_LABELS[result.promotion.status]}).`)
        case 'already_decided':
          return sendMessage(reply, 409, 'Already decided', 'This item was already decided; each item is decided once.')
      }
    }

    async function decide(request: FastifyRequest, reply: FastifyReply, id: string, target: ReviewTarget, status: ReviewDecision['status']) {
      let decision: ReviewDecision = { status: 'APPROVED' }
      if (status === 'REJECTED') {
        const typed = field(request.body, 'reason')
        const reason = validate(RejectReasonSchema, typed)
        if (!reason.ok) {
          const promotion = await ctx.repos.promotions.findById(id)
          if (!promotion) return refused(reply, { ok: false, problem: 'not_found' })
          const code = Object.values(reason.fields)[0] ?? 'REQUIRED'
          const error: ReviewFormError = {
            target: target.kind === 'store' ? 'store' : target.index,
            message: REASON_MESSAGES[code] ?? 'Enter a valid reason.',
            reason: typeof typed === 'string' ? typed : '',
          }
          return sendPage(reply, 400, await detailPage(viewerOf(request), promotion, { error }))
        }
        decision = { status: 'REJECTED', reason: reason.value }
      }
      const result = await ctx.review.decide(actorOf(accountOf(request), request.ip), id, target, decision)
      if (!result.ok) return refused(reply, result)
      const done = `${target.kind}-${status === 'APPROVED' ? 'approved' : 'rejected'}`
      const spot = target.kind === 'spot' ? `&spot=${target.index}` : ''
      return reply.redirect(`/console/promotions/${encodeURIComponent(id)}?done=${done}${spot}`, 303)
    }

    /** A spot index from the URL, or null (answered 404). */
    function spotTarget(index: string): ReviewTarget | null {
      return /^\d{1,3}$/.test(index) ? { kind: 'spot', index: Number(index) } : null
    }

    app.get('/promotions', async (request, reply) => {
      // promotions stored before the evidence summary: a bounded batch summarised per request (lazy backfill)
      await summariseMissing(ctx.repos, ctx.clock.now(), LAZY_SUMMARIES_PER_REQUEST)
      const queue = await queuePage(ctx, request.query)
      const awaiting = await ctx.repos.promotions.queuePage(
        queueFilter({ ...DEFAULT_QUEUE_QUERY, status: 'AWAITING_PAYMENT_VERIFICATION' }),
        'time',
        {},
        AWAITING_SHOWN + 1,
      )
      const model = await withEvidenceFlags(ctx, {
        appeals: await ctx.repos.appeals.listOpen(),
        queue,
        awaitingPayment: awaiting.slice(0, AWAITING_SHOWN).map(queueItem),
        awaitingMore: awaiting.length > AWAITING_SHOWN,
        decided: (await ctx.repos.promotions.listRecentlyDecided(20)).map(item),
      })
      return sendPage(reply, queue.problems.length > 0 ? 400 : 200, renderPromotionQueuePage(viewerOf(request), model))
    })

    app.get<IdParams>('/promotions/:id', async (request, reply) => {
      const promotion = await ctx.repos.promotions.findById(request.params.id)
      if (!promotion) return refused(reply, { ok: false, problem: 'not_found' })
      return sendPage(reply, 200, await detailPage(viewerOf(request), promotion, { notice: notice(promotion, request.query) }))
    })

    app.post<IdParams>('/promotions/:id/store/approve', async (request, reply) => decide(request, reply, request.params.id, { kind: 'store' }, 'APPROVED'))
    app.post<IdParams>('/promotions/:id/store/reject', async (request, reply) => decide(request, reply, request.params.id, { kind: 'store' }, 'REJECTED'))

    for (const [action, status] of [
      ['approve', 'APPROVED'],
      ['reject', 'REJECTED'],
    ] as const) {
      app.post<SpotParams>(`/promotions/:id/spots/:index/${action}`, async (request, reply) => {
        const target = spotTarget(request.params.index)
        if (!target) return refused(reply, { ok: false, problem: 'no_such_spot' })
        return decide(request, reply, request.params.id, target, status)
      })
    }

    function appealRefused(reply: FastifyReply, result: Exclude<AppealResult, { ok: true }>): FastifyReply {
      switch (result.problem) {
        case 'not_found':
          return sendMessage(reply, 404, 'Promotion not found', 'There is no such promotion.')
        case 'no_such_appeal':
          return sendMessage(reply, 404, 'Appeal not found', 'This promotion has no such appeal.')
        case 'already_decided':
          return sendMessage(reply, 409, 'Already decided', `This appeal was already ${result.appeal.status === 'ACCEPTED' ? 'accepted' : 'rejected'}.`)
      }
    }

    app.post<AppealParams>('/promotions/:id/appeals/:appealId/accept', async (request, reply) => {
      const { id, appealId } = request.params
      const result = await ctx.review.decideAppeal(actorOf(accountOf(request), request.ip), id, appealId, { status: 'ACCEPTED' })
      if (!result.ok) return appealRefused(reply, result)
      return reply.redirect(`/console/promotions/${encodeURIComponent(id)}?done=appeal-accepted`, 303)
    })

    app.post<AppealParams>('/promotions/:id/appeals/:appealId/reject', async (request, reply) => {
      const { id, appealId } = request.params
      const promotion = await ctx.repos.promotions.findById(id)
      if (!promotion) return appealRefused(reply, { ok: false, problem: 'not_found' })
      const appeal = await ctx.repos.appeals.findById(appealId)
      if (!appeal || appeal.promotion_id !== id) return appealRefused(reply, { ok: false, problem: 'no_such_appeal' })
      if (appeal.status !== 'OPEN') return appealRefused(reply, { ok: false, problem: 'already_decided', promotion, appeal })
      const typed = field(request.body, 'reason')
      const reason = validate(RejectReasonSchema, typed)
      if (!reason.ok) {
        const code = Object.values(reason.fields)[0] ?? 'REQUIRED'
        const message = APPEAL_REASON_MESSAGES[code] ?? 'Enter a valid reason.'
        return sendPage(
          reply,
          400,
          await detailPage(viewerOf(request), promotion, { appealError: { message, reason: typeof typed === 'string' ? typed : '' } }),
        )
      }
      const result = await ctx.review.decideAppeal(actorOf(accountOf(request), request.ip), id, appealId, { status: 'REJECTED', reason: reason.value })
      if (!result.ok) return appealRefused(reply, result)
      return reply.redirect(`/console/promotions/${encodeURIComponent(id)}?done=appeal-rejected`, 303)
    })

    // Manual payment review (issue 25): each mode's evidence confirmed or rejected (a reason required)
    for (const action of ['confirm', 'reject'] as const) {
      app.post<IdParams>(`/payment-verifications/:id/${action}`, async (request, reply) => {
        let decision: PaymentReviewDecision = { status: 'CONFIRMED' }
        if (action === 'reject') {
          const reason = validate(RejectReasonSchema, field(request.body, 'reason'))
          if (!reason.ok) {
            const code = Object.values(reason.fields)[0] ?? 'REQUIRED'
            return sendMessage(reply, 400, 'Reason needed', REASON_MESSAGES[code] ?? 'Enter a valid reason.')
          }
          decision = { status: 'REJECTED', reason: reason.value }
        }
        const result = await ctx.paymentReview.decide(actorOf(accountOf(request), request.ip), request.params.id, decision)
        if (!result.ok) {
          if (result.problem === 'already_decided') return sendMessage(reply, 409, 'Already decided', 'This payment evidence was decided already.')
          return sendMessage(
            reply,
            404,
            'Not found',
            result.problem === 'not_found' ? 'There is no such payment verification.' : 'This payment was looked up, not left to a reviewer.',
          )
        }
        return reply.redirect(`${result.page}?done=payment-${action === 'confirm' ? 'confirmed' : 'rejected'}`, 303)
      })
    }

    // Photos for the reviewer (any staff member's), for the roles that review promotions.
    app.get<IdParams>('/uploads/:id', async (request, reply) => {
      const upload = await ctx.repos.uploads.findById(request.params.id)
      const content = upload ? await ctx.uploads.read(upload) : null
      if (!upload || !content) return sendMessage(reply, 404, 'Photo not found', 'There is no such photo.')
      return reply.type(upload.mime).header('content-disposition', 'inline').send(content)
    })
  }
}
