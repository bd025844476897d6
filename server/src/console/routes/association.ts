import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import type { ErrorCode } from '../../../../packages/contract/errors'
import { RejectReasonSchema, validate } from '../../../../packages/contract/schemas'
import type { AppContext } from '../../context'
import type { ConsoleAccountRow } from '../../repo/console-accounts'
import type { DecisionResult } from '../../services/association'
import { actorOf } from '../../services/console-accounts'
import { can, canAny, coversIso, coversIsoId, homeOf } from '../access'
import { accountOf, forbidden, requireCapability, viewerOf } from '../guard'
import type { Viewer } from '../layout'
import { renderConsolePage, SPOT_LIMIT_RANGE, type RejectFormError } from '../render'
import { renderHistoryPage } from '../render-accounts'
import { field, sendMessage, sendPage } from '../respond'

const REASON_MESSAGES: Partial<Record<ErrorCode, string>> = {
  REQUIRED: 'Enter a reason: the staff member sees it and can correct their request.',
  TEXT_TOO_LONG: 'The reason is too long (500 characters at most).',
}

/** A DingTalk department id, or nothing (no department: membership is not checked by department). */
const DepartmentSchema = v.pipe(v.string(), v.trim(), v.regex(/^\d{0,18}$/))
const SpotLimitSchema = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{1,3}$/),
  v.transform(Number),
  v.minValue(SPOT_LIMIT_RANGE.min),
  v.maxValue(SPOT_LIMIT_RANGE.max),
)

type IdParams = { Params: { id: string } }

/**
 * The console's home, standing in for the ISO platform: the Review List of association requests (approve,
 * reject with a reason), Staff Details, and the ISOs in the account's scope (spot limit, DingTalk department,
 * history). /console, /console/requests/:id/*, /console/isos/:id/{spot-limit,dingtalk-department,history}.
 */
export function associationRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    /** The region of an ISO (undefined: no ISO, or no such ISO). */
    async function regionOf(isoId: string | null): Promise<string | undefined> {
      return isoId === null ? undefined : (await ctx.repos.isos.findById(isoId))?.region
    }

    async function page(viewer: Viewer, extra: { notice?: string | null; rejectError?: RejectFormError } = {}): Promise<string> {
      const { account } = viewer
      const isos = await ctx.repos.isos.list()
      const regions = new Map(isos.map((iso) => [iso.id, iso.region]))
      const inScope = (isoId: string | null) => coversIsoId(account, isoId, (id) => regions.get(id))
      const decided = can(account, 'association') ? (await ctx.repos.requests.listRecentlyDecided(200)).filter((r) => inScope(r.iso_id)).slice(0, 20) : null
      const decidedBy: Record<string, string> = {}
      for (const r of decided ?? []) {
        const entry = (await ctx.repos.audit.forSubject('association_request', r.id)).at(-1)
        if (entry) decidedBy[r.id] = entry.actor_name
      }
      return renderConsolePage(viewer, {
        notice: extra.notice ?? null,
        rejectError: extra.rejectError,
        pending: can(account, 'association') ? (await ctx.repos.requests.listPending()).filter((r) => inScope(r.iso_id)) : null,
        decided,
        decidedBy,
        staff: can(account, 'staff')
          ? (await ctx.repos.staff.listWithIso()).filter((s) => account.role === 'admin' || (s.iso_id !== null && inScope(s.iso_id)))
          : null,
        orgInvitations: can(account, 'association')
          ? await ctx.repos.orgInvitations.newest(account.role === 'admin' ? null : isos.filter((iso) => inScope(iso.id)).map((iso) => iso.id), 200)
          : null,
        isos: isos
          .filter((iso) => coversIso(account, iso))
          .map((row) => ({ row, editSettings: can(account, 'isoSettings'), editDepartment: can(account, 'isoDingTalk') })),
        canOnboard: can(account, 'isoOnboarding'),
      })
    }

    /**
     * The scope checks of a console record, written once: the routes that act on a record and every
     * message that names one (the confirmation after a redirect) use them.
     */
    async function requestCovered(account: ConsoleAccountRow, r: { iso_id: string | null }): Promise<boolean> {
      const region = await regionOf(r.iso_id)
      return coversIsoId(account, r.iso_id, () => region)
    }
    const isoCovered = (account: ConsoleAccountRow, iso: { id: string; region: string }): boolean => coversIso(account, iso)

    /**
     * The short confirmation shown after a redirect (`?done=...&id=...`): only for a record the account may
     * act on (its role's capability and its scope), and only when the record is in the state announced; else
     * nothing, so that the address tells nothing about a record outside the account's scope.
     */
    async function notice(account: ConsoleAccountRow, query: unknown): Promise<string | null> {
      const done = field(query, 'done')
      const id = field(query, 'id')
      if (typeof id !== 'string') return null
      if (done === 'approved' || done === 'rejected') {
        const r = await ctx.repos.requests.findById(id)
        if (!r || r.status !== done || !can(account, 'association') || !(await requestCovered(account, r))) return null
        return done === 'approved'
          ? `Approved the request of ${r.name} (${r.iso_name ?? r.iso_email}). They can now accept the Org invitation in DingTalk.`
          : `Rejected the request of ${r.name}. They will see your reason and can send a corrected request.`
      }
      if (done === 'org-invitation') {
        const row = await ctx.repos.orgInvitations.findById(id)
        if (!row || !can(account, 'association') || !(await requestCovered(account, row))) return null
        return `The Org invitation of ${row.name} is back in the queue: the server asks DingTalk again now.`
      }
      if (done === 'saved' || done === 'department') {
        const iso = await ctx.repos.isos.findById(id)
        if (!iso || !can(account, done === 'saved' ? 'isoSettings' : 'isoDingTalk') || !isoCovered(account, iso)) return null
        if (done === 'saved') return `Saved: ${iso.name} allows at most ${iso.max_spots_per_store} spots per store.`
        return iso.dingtalk_dept_id === null
          ? `Saved: ${iso.name} has no DingTalk department; joining is checked against the organisation only.`
          : `Saved: the staff of ${iso.name} are the members of DingTalk department ${iso.dingtalk_dept_id}.`
      }
      return null
    }

    function decisionRefused(reply: FastifyReply, result: Exclude<DecisionResult, { ok: true }>): FastifyReply {
      switch (result.problem) {
        case 'not_found':
          return sendMessage(reply, 404, 'Request not found', 'There is no such association request.')
        case 'already_decided':
          return sendMessage(
            reply,
            409,
            'Already decided',
            `The request of ${result.request.name} was already ${result.request.status}; only pending requests can be decided.`,
          )
        case 'iso_missing':
          return sendMessage(reply, 409, 'Unknown ISO', 'The ISO this request was sent to no longer exists.')
      }
    }

    function backTo(reply: FastifyReply, done: string, id: string): FastifyReply {
      return reply.redirect(`/console?done=${done}&id=${encodeURIComponent(id)}`, 303)
    }

    // --- the ISO platform: Review List, Staff Details, ISOs ---

    app.get('/', async (request, reply) => {
      const account = accountOf(request)
      if (!canAny(account, ['association', 'staff', 'isoSettings']))
        return reply.redirect(homeOf(account) === '/console' ? '/console/promotions' : homeOf(account), 303)
      return sendPage(reply, 200, await page(viewerOf(request), { notice: await notice(account, request.query) }))
    })

    /** The request, when the account may decide it (else the refusal was sent). */
    async function requestInScope(request: FastifyRequest<IdParams>, reply: FastifyReply) {
      const account = accountOf(request)
      const existing = await ctx.repos.requests.findById(request.params.id)
      if (!existing) {
        decisionRefused(reply, { ok: false, problem: 'not_found' })
        return null
      }
      if (!(await requestCovered(account, existing))) {
        forbidden(reply, account)
        return null
      }
      return { account, existing }
    }

    app.post<IdParams>('/requests/:id/approve', { preHandler: requireCapability('association') }, async (request, reply) => {
      const found = await requestInScope(request, reply)
      if (!found) return reply
      const result = await ctx.association.decide(actorOf(found.account, request.ip), request.params.id, { status: 'approved' })
      return result.ok ? backTo(reply, 'approved', result.request.id) : decisionRefused(reply, result)
    })

    app.post<IdParams>('/requests/:id/reject', { preHandler: requireCapability('association') }, async (request, reply) => {
      const found = await requestInScope(request, reply)
      if (!found) return reply
      const { account, existing } = found
      const { id } = request.params
      if (existing.status !== 'pending') return decisionRefused(reply, { ok: false, problem: 'already_decided', request: existing })
      const typed = field(request.body, 'reason')
      const reason = validate(RejectReasonSchema, typed)
      if (!reason.ok) {
        const code = Object.values(reason.fields)[0] ?? 'REQUIRED'
        const message = REASON_MESSAGES[code] ?? 'Enter a valid reason.'
        return sendPage(reply, 400, await page(viewerOf(request), { rejectError: { requestId: id, message, reason: typeof typed === 'string' ? typed : '' } }))
      }
      const result = await ctx.association.decide(actorOf(account, request.ip), id, { status: 'rejected', reason: reason.value })
      return result.ok ? backTo(reply, 'rejected', result.request.id) : decisionRefused(reply, result)
    })

    /** The ISO, when the account's scope covers it (else the refusal was sent). */
    async function isoInScope(request: FastifyRequest<IdParams>, reply: FastifyReply) {
      const account = accountOf(request)
      const iso = await ctx.repos.isos.findById(request.params.id)
      if (!iso) {
        sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        return null
      }
      if (!isoCovered(account, iso)) {
        forbidden(reply, account)
        return null
      }
      return { account, iso }
    }

    // the spot limit (the deployment method is agreed, not set: /console/method, method.ts)
    app.post<IdParams>('/isos/:id/spot-limit', { preHandler: requireCapability('isoSettings') }, async (request, reply) => {
      const found = await isoInScope(request, reply)
      if (!found) return reply
      const limit = validate(SpotLimitSchema, field(request.body, 'maxSpotsPerStore'))
      if (!limit.ok) {
        return sendMessage(
          reply,
          400,
          'Invalid spot limit',
          `Enter how many spots a store may have: a whole number from ${SPOT_LIMIT_RANGE.min} to ${SPOT_LIMIT_RANGE.max}.`,
        )
      }
      const result = await ctx.isos.setSpotLimit(actorOf(found.account, request.ip), found.iso.id, limit.value)
      if (!result.ok) return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      return backTo(reply, 'saved', request.params.id)
    })

    app.post<IdParams>('/isos/:id/dingtalk-department', { preHandler: requireCapability('isoDingTalk') }, async (request, reply) => {
      const found = await isoInScope(request, reply)
      if (!found) return reply
      const typed = validate(DepartmentSchema, field(request.body, 'dingtalkDeptId'))
      if (!typed.ok)
        return sendMessage(reply, 400, 'Invalid DingTalk department', 'Enter the department ID as DingTalk shows it (digits only), or leave it empty.')
      const deptId = typed.value === '' ? null : Number(typed.value)
      const result = await ctx.isos.setDepartment(actorOf(found.account, request.ip), found.iso.id, deptId)
      if (!result.ok) {
        return result.problem === 'department_in_use'
          ? sendMessage(reply, 409, 'Department in use', `DingTalk department ${deptId} is already the department of ${result.owner.name}.`)
          : sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      }
      return backTo(reply, 'department', request.params.id)
    })

    app.get<IdParams>(
      '/isos/:id/history',
      { preHandler: requireCapability(['association', 'isoSettings', 'isoDingTalk', 'methodView']) },
      async (request, reply) => {
        const found = await isoInScope(request, reply)
        if (!found) return reply
        // the ISO's settings, and the association requests decided for it
        const rows = (await ctx.repos.audit.search({ isoId: found.iso.id, limit: 500 })).filter(
          (r) => r.subject_type === 'iso' || r.subject_type === 'association_request',
        )
        return sendPage(
          reply,
          200,
          renderHistoryPage(viewerOf(request), `History of ${found.iso.name}`, rows.reverse(), { href: '/console', label: 'Back to the ISOs' }),
        )
      },
    )
  }
}
