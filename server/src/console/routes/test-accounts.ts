import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../context'
import type { ConsoleAccountRow } from '../../repo/console-accounts'
import type { StaffRow } from '../../repo/staff'
import { actorOf } from '../../services/console-accounts'
import { TEST_ACCOUNT_SUBJECT, type TestAccountChange } from '../../services/test-accounts'
import { checkTestAccountForm } from '../../test-accounts/rules'
import { isWithIso } from '../../views'
import { coversIsoId } from '../access'
import { accountOf, forbidden, requireCapability, viewerOf } from '../guard'
import type { Viewer } from '../layout'
import { renderTestAccountPage, type TestAccountPageModel } from '../render-test-accounts'
import { field, sendMessage, sendPage } from '../respond'

type IdParams = { Params: { id: string } }

/**
 * Staff Details › a staff member's Alipay test account (/console/staff/:id/test-account): assigned, changed or
 * withdrawn by an ISO reviewer of the staff member's ISO, or an administrator. A staff member outside the
 * account's scope, or none at all, is refused alike (403) for everyone but an administrator (404), so that the
 * address tells an ISO reviewer nothing about another ISO's staff.
 */
export function testAccountConsoleRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.addHook('preHandler', requireCapability('staff'))

    async function staffInScope(request: FastifyRequest<IdParams>, reply: FastifyReply): Promise<{ account: ConsoleAccountRow; staff: StaffRow } | null> {
      const account = accountOf(request)
      const staff = await ctx.repos.staff.findById(request.params.id)
      const isoId = staff && isWithIso(staff) ? staff.iso_id : null
      const region = isoId === null ? undefined : (await ctx.repos.isos.findById(isoId))?.region
      const covered = staff !== undefined && (account.role === 'admin' || coversIsoId(account, isoId, () => region))
      if (!covered) {
        if (account.role === 'admin') sendMessage(reply, 404, 'Staff member not found', 'There is no such staff member.')
        else forbidden(reply, account)
        return null
      }
      return { account, staff }
    }

    async function page(viewer: Viewer, staff: StaffRow, extra: Pick<TestAccountPageModel, 'notice' | 'form'>): Promise<string> {
      const iso = staff.iso_id && isWithIso(staff) ? await ctx.repos.isos.findById(staff.iso_id) : undefined
      return renderTestAccountPage(viewer, {
        staff,
        isoName: iso?.name ?? null,
        account: await ctx.testAccounts.forStaff(staff),
        assignable: isWithIso(staff),
        history: await ctx.repos.audit.forSubject(TEST_ACCOUNT_SUBJECT, staff.id),
        ...extra,
      })
    }

    const path = (staffId: string) => `/console/staff/${encodeURIComponent(staffId)}/test-account`

    function refused(reply: FastifyReply, result: Exclude<TestAccountChange, { ok: true }>, staff: StaffRow): FastifyReply {
      switch (result.problem) {
        case 'not_found':
          return sendMessage(reply, 404, 'Staff member not found', 'There is no such staff member.')
        case 'no_iso':
          return sendMessage(reply, 409, 'Not with an ISO', `${staff.name} is not with an ISO: a test account can be assigned once their ISO has them.`)
        case 'password_required':
          return sendMessage(reply, 400, 'Password required', "Enter the test account's password.")
        case 'nothing_to_withdraw':
          return sendMessage(reply, 409, 'Nothing to withdraw', `${staff.name} has no test account.`)
      }
    }

    app.get<IdParams>('/staff/:id/test-account', async (request, reply) => {
      const found = await staffInScope(request, reply)
      if (!found) return reply
      const done = field(request.query, 'done')
      const account = await ctx.testAccounts.forStaff(found.staff)
      // the confirmation only when the record is in the state it announces
      const notice =
        done === 'saved' && account
          ? `Saved: ${found.staff.name} sees the test account ${account.email} in the app; the password only when they tap Show.`
          : done === 'withdrawn' && !account
            ? `Withdrawn: ${found.staff.name} no longer has a test account.`
            : null
      return sendPage(reply, 200, await page(viewerOf(request), found.staff, { notice }))
    })

    app.post<IdParams>('/staff/:id/test-account', async (request, reply) => {
      const found = await staffInScope(request, reply)
      if (!found) return reply
      const typedEmail = field(request.body, 'email')
      const typedPassword = field(request.body, 'password')
      const current = await ctx.testAccounts.forStaff(found.staff)
      const checked = checkTestAccountForm({ email: typedEmail, password: typedPassword }, { passwordSet: current?.password_sealed != null })
      if (!checked.ok) {
        // the email as typed comes back; the password never does (not in an error page)
        const form = {
          email: typeof typedEmail === 'string' ? typedEmail.slice(0, 300) : '',
          errors: checked.errors,
          passwordTyped: typeof typedPassword === 'string' && typedPassword !== '',
        }
        return sendPage(reply, 400, await page(viewerOf(request), found.staff, { notice: null, form }))
      }
      const result = await ctx.testAccounts.assign(actorOf(found.account, request.ip), found.staff.id, { email: checked.email, password: checked.password })
      if (!result.ok) return refused(reply, result, found.staff)
      return reply.redirect(`${path(found.staff.id)}?done=saved`, 303)
    })

    app.post<IdParams>('/staff/:id/test-account/withdraw', async (request, reply) => {
      const found = await staffInScope(request, reply)
      if (!found) return reply
      const result = await ctx.testAccounts.withdraw(actorOf(found.account, request.ip), found.staff.id)
      if (!result.ok) return refused(reply, result, found.staff)
      return reply.redirect(`${path(found.staff.id)}?done=withdrawn`, 303)
    })
  }
}
