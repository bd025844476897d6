import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ErrorCode } from '../../../../packages/contract/errors'
import { RejectReasonSchema, validate } from '../../../../packages/contract/schemas'
import type { AppContext } from '../../context'
import { storeOf } from '../../promotion-views'
import { resultOf, type InspectionListRow, type InspectionTaskRow } from '../../repo/inspections'
import type { PromotionListRow } from '../../repo/promotions'
import { inspectionRisk, REJECTION_WINDOW_DAYS } from '../../services/inspection-risk'
import type { AssignResult, InspectionDecisionResult } from '../../services/inspections'
import { addDays, calendarDateIn } from '../../timezone'
import { renderInspectionDetailPage, renderInspectionListPage, type AssignFormState, type RiskProposal } from '../render-inspections'
import { actorOf } from '../../services/console-accounts'
import { accountOf, requireCapability, viewerOf } from '../guard'
import type { Viewer } from '../layout'
import { historySection } from '../render-accounts'
import { field, sendMessage, sendPage } from '../respond'

type IdParams = { Params: { id: string } }

const REASON_MESSAGES: Partial<Record<ErrorCode, string>> = {
  REQUIRED: 'Enter a reason: the staff member sees why the inspection was rejected.',
  TEXT_TOO_LONG: 'The reason is too long (500 characters at most).',
}

const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : '')

/** The console's list: submitted first (oldest submission first), then open tasks by due date, then decided ones newest first. */
function consoleOrder(a: InspectionListRow, b: InspectionListRow): number {
  const rank = (t: InspectionListRow) => (t.status === 'SUBMITTED' ? 0 : t.status === 'TO_DO' || t.status === 'IN_PROGRESS' ? 1 : 2)
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  const r = rank(a) - rank(b)
  if (r !== 0) return r
  if (rank(a) === 0) return cmp(a.submitted_at ?? '', b.submitted_at ?? '') || cmp(a.id, b.id)
  if (rank(a) === 1) return cmp(a.due_date, b.due_date) || cmp(a.assigned_at, b.assigned_at) || cmp(a.id, b.id)
  return cmp(b.decided_at ?? '', a.decided_at ?? '') || cmp(b.id, a.id)
}

/**
 * Spot inspection in the console (registered inside the console plugin, so behind its session,
 * CSRF and cross-site checks and security headers; Alipay+ reviewers and administrators): assigning Verification Tasks, the submitted results, decisions.
 */
export function inspectionConsoleRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.addHook('preHandler', requireCapability('inspections'))
    /** Approved promotions without an open task, ranked by their risk with its reasons (at most `limit`). */
    async function proposals(promotions: PromotionListRow[], limit = 10): Promise<RiskProposal[]> {
      const now = ctx.clock.now()
      const facts = await ctx.repos.inspections.riskFacts(new Date(now.getTime() - REJECTION_WINDOW_DAYS * 24 * 60 * 60 * 1000).toISOString())
      const weak = await ctx.repos.promotions.idsWithEvidence('APPROVED', 'WEAK')
      return promotions
        .filter((p) => !facts.openTask.has(p.id))
        .map((promotion) => {
          const staff = facts.staff.get(promotion.staff_id) ?? { decided: 0, rejected: 0 }
          const risk = inspectionRisk(
            {
              approvedAt: promotion.decided_at ?? promotion.created_at,
              staffDecided: staff.decided,
              staffRejected: staff.rejected,
              paymentsByReviewerOnly: facts.paymentsByReviewerOnly.has(promotion.id),
              inspectedBefore: facts.inspected.has(promotion.id),
              weakEvidence: weak.has(promotion.id),
            },
            now,
          )
          return { promotion, ...risk }
        })
        .sort(
          (a, b) =>
            b.score - a.score || (a.promotion.decided_at ?? '').localeCompare(b.promotion.decided_at ?? '') || a.promotion.id.localeCompare(b.promotion.id),
        )
        .slice(0, limit)
    }

    async function listPage(viewer: Viewer, form: AssignFormState, notice: string | null = null): Promise<string> {
      const promotions = await ctx.repos.promotions.listWithStatus('APPROVED')
      return renderInspectionListPage(viewer, {
        notice,
        proposals: await proposals(promotions),
        promotions,
        staff: (await ctx.repos.staff.listWithIso()).filter((s) => s.association_status === 'associated'),
        tasks: (await ctx.repos.inspections.listAll()).sort(consoleOrder),
        form,
        defaultDue: addDays(calendarDateIn(ctx.clock.now(), 'UTC'), 7),
      })
    }

    async function detailPage(
      viewer: Viewer,
      task: InspectionTaskRow,
      extra: { notice?: string | null; rejectError?: { message: string; reason: string } } = {},
    ): Promise<string | null> {
      const promotion = await ctx.repos.promotions.findById(task.promotion_id)
      if (!promotion) return null
      const result = resultOf(task)
      return renderInspectionDetailPage(viewer, {
        task,
        store: storeOf(promotion),
        product: promotion.product,
        staffName: (await ctx.repos.staff.findById(task.staff_id))?.name ?? task.staff_id,
        isoName: (await ctx.repos.isos.findById(promotion.iso_id))?.name ?? promotion.iso_id,
        spots: await ctx.repos.promotions.spots(promotion.id),
        result,
        verifications: await ctx.repos.verifications.listForInspection(task.id),
        photoChecks: result ? await ctx.photoChecks.forPhotos([result.store.storefrontPhotoId, ...result.spots.map((s) => s.photoId)]) : undefined,
        notice: extra.notice ?? null,
        rejectError: extra.rejectError,
        history: historySection(await ctx.repos.audit.forSubject('inspection', task.id)),
      })
    }

    async function assignError(result: Exclude<AssignResult, { ok: true }>, promotionId: string, staffId: string): Promise<string> {
      const staff = await ctx.repos.staff.findById(staffId)
      const promotion = await ctx.repos.promotions.findById(promotionId)
      const isoName = promotion ? ((await ctx.repos.isos.findById(promotion.iso_id))?.name ?? promotion.iso_id) : ''
      switch (result.problem) {
        case 'promotion':
          return 'Choose a promotion to inspect.'
        case 'not_approved':
          return 'Only approved promotions can be inspected; this one is not approved.'
        case 'staff':
          return 'Choose a staff member.'
        case 'not_associated':
          return `${staff?.name ?? staffId} has not joined an ISO; choose an associated staff member.`
        case 'other_iso':
          return `${staff?.name ?? staffId} is not a staff member of ${isoName}, the promotion’s ISO; choose one of its staff members.`
        case 'due_date':
          return 'Enter a due date (today or later).'
      }
    }

    async function notice(query: unknown): Promise<string | null> {
      const id = field(query, 'id')
      if (field(query, 'done') !== 'assigned' || typeof id !== 'string') return null
      const task = await ctx.repos.inspections.findById(id)
      const promotion = task ? await ctx.repos.promotions.findById(task.promotion_id) : undefined
      if (!task || !promotion) return null
      const staff = await ctx.repos.staff.findById(task.staff_id)
      return `Assigned the inspection of ${storeOf(promotion).name} to ${staff?.name ?? task.staff_id}, due ${task.due_date}.`
    }

    // ?promotionId=…: a proposal's "Assign" link, the promotion chosen in the form
    app.get('/inspections', async (request, reply) =>
      sendPage(
        reply,
        200,
        await listPage(
          viewerOf(request),
          { promotionId: text(field(request.query, 'promotionId')), staffId: '', dueDate: '', error: null },
          await notice(request.query),
        ),
      ),
    )

    app.post('/inspections', async (request, reply) => {
      const form: AssignFormState = {
        promotionId: text(field(request.body, 'promotionId')),
        staffId: text(field(request.body, 'staffId')),
        dueDate: text(field(request.body, 'dueDate')),
        error: null,
      }
      const result = await ctx.inspections.assign(actorOf(accountOf(request), request.ip), form.promotionId, form.staffId, form.dueDate)
      if (!result.ok)
        return sendPage(reply, 400, await listPage(viewerOf(request), { ...form, error: await assignError(result, form.promotionId, form.staffId) }))
      return reply.redirect(`/console/inspections?done=assigned&id=${encodeURIComponent(result.task.id)}`, 303)
    })

    const notFound = (reply: FastifyReply) => sendMessage(reply, 404, 'Inspection not found', 'There is no such inspection task.')

    function refused(reply: FastifyReply, result: Exclude<InspectionDecisionResult, { ok: true }>): FastifyReply {
      if (result.problem === 'not_found') return notFound(reply)
      const { status } = result.task
      return status === 'ACCEPTED' || status === 'REJECTED'
        ? sendMessage(reply, 409, 'Already decided', `This inspection was already ${status === 'ACCEPTED' ? 'accepted' : 'rejected'}.`)
        : sendMessage(reply, 409, 'Not submitted', 'The staff member has not submitted this inspection yet.')
    }

    app.get<IdParams>('/inspections/:id', async (request, reply) => {
      const task = await ctx.repos.inspections.findById(request.params.id)
      const done = field(request.query, 'done')
      const page = task
        ? await detailPage(viewerOf(request), task, {
            notice:
              done === 'accepted' ? 'Accepted the inspection.' : done === 'rejected' ? 'Rejected the inspection; the staff member sees your reason.' : null,
          })
        : null
      return page ? sendPage(reply, 200, page) : notFound(reply)
    })

    app.post<IdParams>('/inspections/:id/accept', async (request, reply) => {
      const result = await ctx.inspections.decide(actorOf(accountOf(request), request.ip), request.params.id, { status: 'ACCEPTED' })
      if (!result.ok) return refused(reply, result)
      return reply.redirect(`/console/inspections/${encodeURIComponent(result.task.id)}?done=accepted`, 303)
    })

    app.post<IdParams>('/inspections/:id/reject', async (request, reply) => {
      const task = await ctx.repos.inspections.findById(request.params.id)
      if (!task) return notFound(reply)
      if (task.status !== 'SUBMITTED') return refused(reply, { ok: false, problem: 'not_submitted', task })
      const typed = field(request.body, 'reason')
      const reason = validate(RejectReasonSchema, typed)
      if (!reason.ok) {
        const code = Object.values(reason.fields)[0] ?? 'REQUIRED'
        const page = await detailPage(viewerOf(request), task, {
          rejectError: { message: REASON_MESSAGES[code] ?? 'Enter a valid reason.', reason: typeof typed === 'string' ? typed : '' },
        })
        return page ? sendPage(reply, 400, page) : notFound(reply)
      }
      const result = await ctx.inspections.decide(actorOf(accountOf(request), request.ip), task.id, { status: 'REJECTED', reason: reason.value })
      if (!result.ok) return refused(reply, result)
      return reply.redirect(`/console/inspections/${encodeURIComponent(task.id)}?done=rejected`, 303)
    })
  }
}
