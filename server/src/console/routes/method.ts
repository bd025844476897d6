import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import type { DeploymentMethod } from '../../../../packages/contract/api'
import { LOCALES } from '../../../../packages/contract/rules/locale'
import { RejectReasonSchema, validate } from '../../../../packages/contract/schemas'
import type { AppContext } from '../../context'
import type { ConsoleAccountRow } from '../../repo/console-accounts'
import type { IsoRow } from '../../repo/isos'
import type { AgreementResult } from '../../services/method-agreement'
import { actorOf } from '../../services/console-accounts'
import { can, coversIso } from '../access'
import { accountOf, forbidden, requireCapability, viewerOf } from '../guard'
import type { Viewer } from '../layout'
import { DEPLOYMENT_METHOD_LABELS } from '../render'
import { renderMethodPage, type MethodPageModel } from '../render-method'
import { field, sendMessage, sendPage } from '../respond'

type IdParams = { Params: { id: string } }

const MethodSchema = v.picklist(Object.keys(DEPLOYMENT_METHOD_LABELS) as DeploymentMethod[])
/** A DingTalk userid (the organisation's member id: letters, digits, `_` and `-`), or nothing. */
const DingTalkUserSchema = v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9_-]{0,64}$/))
const LocaleSchema = v.picklist(LOCALES)

/**
 * The deployment method's agreement in the console: /console/method (each ISO in the account's scope), the
 * ISO reviewer's proposal, the coordinator's agreement or refusal, and the DingTalk users they are notified at.
 * Who may take which step is access.ts's (methodPropose: an ISO reviewer, their ISO; methodAgree: a
 * coordinator, their region's ISOs); the steps themselves are services/method-agreement.ts's.
 */
export function methodAgreementRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    async function page(viewer: Viewer, extra: Pick<MethodPageModel, 'notice' | 'error'>): Promise<string> {
      const { account } = viewer
      const isos = (await ctx.repos.isos.list()).filter((iso) => coversIso(account, iso))
      const views: MethodPageModel['isos'] = []
      for (const iso of isos) {
        const proposer = iso.method_proposed_by ? await ctx.repos.consoleAccounts.findById(iso.method_proposed_by) : undefined
        views.push({
          iso,
          proposedBy: proposer ? proposer.name : null,
          canPropose: can(account, 'methodPropose'),
          canAgree: can(account, 'methodAgree'),
        })
      }
      const accounts = can(account, 'accounts')
        ? (await ctx.repos.consoleAccounts.list()).filter((a) => a.role === 'iso_reviewer' || a.role === 'coordinator')
        : null
      return renderMethodPage(viewer, { ...extra, isos: views, accounts, locales: LOCALES })
    }

    /** The confirmation after a redirect, only for an ISO in the account's scope and in the state announced. */
    async function notice(account: ConsoleAccountRow, query: unknown): Promise<string | null> {
      const done = field(query, 'done')
      const id = field(query, 'id')
      if (typeof id !== 'string') return null
      if (done === 'dingtalk') {
        const a = can(account, 'accounts') ? await ctx.repos.consoleAccounts.findById(id) : undefined
        if (!a) return null
        return a.dingtalk_user_id
          ? `Saved: ${a.name} is notified at DingTalk user ${a.dingtalk_user_id}.`
          : `Saved: ${a.name} has no DingTalk user and is not notified.`
      }
      const iso = await ctx.repos.isos.findById(id)
      if (!iso || !coversIso(account, iso)) return null
      if (done === 'proposed' && iso.method_proposal_state === 'PROPOSED' && iso.method_proposal) {
        return `Proposed ${DEPLOYMENT_METHOD_LABELS[iso.method_proposal]} for ${iso.name}. The coordinators of region ${iso.region} are notified.`
      }
      if (done === 'agreed' && iso.method_agreed_at && iso.method_proposal_state === null) {
        return `Agreed: ${iso.name} follows ${DEPLOYMENT_METHOD_LABELS[iso.deployment_method]}. Its reviewers are notified; its staff can start promotions.`
      }
      if (done === 'declined' && iso.method_proposal_state === 'DECLINED')
        return `Declined the proposal of ${iso.name}. Its reviewers are notified with your reason.`
      return null
    }

    app.get('/method', { preHandler: requireCapability('methodView') }, async (request, reply) => {
      const account = accountOf(request)
      return sendPage(reply, 200, await page(viewerOf(request), { notice: await notice(account, request.query), error: null }))
    })

    /** The ISO, when the account's scope covers it (else the refusal was sent). */
    async function isoInScope(request: FastifyRequest<IdParams>, reply: FastifyReply): Promise<{ account: ConsoleAccountRow; iso: IsoRow } | null> {
      const account = accountOf(request)
      const iso = await ctx.repos.isos.findById(request.params.id)
      if (!iso) {
        sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        return null
      }
      if (!coversIso(account, iso)) {
        forbidden(reply, account)
        return null
      }
      return { account, iso }
    }

    function refused(reply: FastifyReply, result: Exclude<AgreementResult, { ok: true }>): FastifyReply {
      switch (result.problem) {
        case 'not_found':
          return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        case 'already_agreed':
          return sendMessage(
            reply,
            409,
            'Already agreed',
            `${result.iso.name} already follows ${DEPLOYMENT_METHOD_LABELS[result.iso.deployment_method]}, agreed with the coordinator. Propose the other method to change it.`,
          )
        case 'not_proposed':
          return sendMessage(reply, 409, 'Nothing to decide', `${result.iso.name} has no proposal awaiting the coordinator.`)
        case 'proposal_changed':
          return sendMessage(
            reply,
            409,
            'The proposal changed',
            `${result.iso.name} has proposed another method since this page was shown. Reload the page and decide on the current proposal.`,
          )
      }
    }

    const backTo = (reply: FastifyReply, done: string, id: string) =>
      reply.redirect(`/console/method?done=${done}&id=${encodeURIComponent(id)}#iso-${encodeURIComponent(id)}`, 303)

    app.post<IdParams>('/isos/:id/method/propose', { preHandler: requireCapability('methodPropose') }, async (request, reply) => {
      const found = await isoInScope(request, reply)
      if (!found) return reply
      const method = validate(MethodSchema, field(request.body, 'method'))
      if (!method.ok) return sendMessage(reply, 400, 'Invalid deployment method', 'Choose Verify-Then-Deploy or Deploy-Then-Verify.')
      const result = await ctx.methodAgreement.propose(actorOf(found.account, request.ip), found.iso.id, method.value)
      return result.ok ? backTo(reply, 'proposed', found.iso.id) : refused(reply, result)
    })

    app.post<IdParams>('/isos/:id/method/agree', { preHandler: requireCapability('methodAgree') }, async (request, reply) => {
      const found = await isoInScope(request, reply)
      if (!found) return reply
      const method = validate(MethodSchema, field(request.body, 'method'))
      if (!method.ok) return sendMessage(reply, 400, 'Invalid deployment method', 'The form did not name the method agreed. Reload the page and try again.')
      const result = await ctx.methodAgreement.agree(actorOf(found.account, request.ip), found.iso.id, method.value)
      return result.ok ? backTo(reply, 'agreed', found.iso.id) : refused(reply, result)
    })

    app.post<IdParams>('/isos/:id/method/decline', { preHandler: requireCapability('methodAgree') }, async (request, reply) => {
      const found = await isoInScope(request, reply)
      if (!found) return reply
      const typed = field(request.body, 'reason')
      const reason = validate(RejectReasonSchema, typed)
      if (!reason.ok) {
        const code = Object.values(reason.fields)[0]
        const message = code === 'TEXT_TOO_LONG' ? 'The reason is too long (500 characters at most).' : 'Enter a reason: the ISO sees it and can propose again.'
        const error = { isoId: found.iso.id, message, reason: typeof typed === 'string' ? typed.slice(0, 2000) : '' }
        return sendPage(reply, 400, await page(viewerOf(request), { notice: null, error }))
      }
      const result = await ctx.methodAgreement.decline(actorOf(found.account, request.ip), found.iso.id, reason.value)
      return result.ok ? backTo(reply, 'declined', found.iso.id) : refused(reply, result)
    })

    // an account's DingTalk user (an administrator), audited
    app.post<IdParams>('/accounts/:id/dingtalk', { preHandler: requireCapability('accounts') }, async (request, reply) => {
      const account = accountOf(request)
      const target = await ctx.repos.consoleAccounts.findById(request.params.id)
      if (!target) return sendMessage(reply, 404, 'Account not found', 'There is no such console account.')
      const userId = validate(DingTalkUserSchema, field(request.body, 'dingtalkUserId'))
      if (!userId.ok) {
        return sendMessage(
          reply,
          400,
          'Invalid DingTalk user ID',
          'Enter the DingTalk user ID as the DingTalk admin console shows it (letters, digits, _ and -), or leave it empty.',
        )
      }
      const typedLocale = field(request.body, 'locale')
      const locale = typedLocale === undefined || typedLocale === '' ? { ok: true as const, value: null } : validate(LocaleSchema, typedLocale)
      if (!locale.ok) return sendMessage(reply, 400, 'Invalid language', 'Choose one of the working languages.')
      await ctx.db.transaction(async () => {
        await ctx.repos.consoleAccounts.setDingTalk(target.id, userId.value || null, locale.value)
        await ctx.repos.audit.append(actorOf(account, request.ip), ctx.clock.now().toISOString(), {
          action: 'account.dingtalk',
          subjectType: 'console_account',
          subjectId: target.id,
          isoId: target.iso_id,
          before: { dingtalkUserId: target.dingtalk_user_id, locale: target.locale },
          after: { dingtalkUserId: userId.value || null, locale: locale.value },
        })
      })
      return reply.redirect(`/console/method?done=dingtalk&id=${encodeURIComponent(target.id)}#dingtalk-users`, 303)
    })
  }
}
