import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../context'
import { actorOf } from '../../services/console-accounts'
import { coversIsoId } from '../access'
import { accountOf, forbidden, requireCapability } from '../guard'
import { sendMessage } from '../respond'

/**
 * The ISO reviewer's "Try again" on an Org invitation that waits for someone (console, behind its session,
 * CSRF and cross-site checks): back in the queue now, with the ISO's department as it is now; audited.
 */
export function orgInvitationRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.post<{ Params: { id: string } }>('/org-invitations/:id/retry', { preHandler: requireCapability('association') }, async (request, reply) => {
      const account = accountOf(request)
      const row = await ctx.repos.orgInvitations.findById(request.params.id)
      if (!row) return sendMessage(reply, 404, 'Org invitation not found', 'There is no such Org invitation.')
      const region = (await ctx.repos.isos.findById(row.iso_id))?.region
      if (!coversIsoId(account, row.iso_id, () => region)) return forbidden(reply, account)
      if (!(await ctx.orgInvitations.retry(actorOf(account, request.ip), row.id))) {
        return sendMessage(reply, 409, 'Already on its way', `The Org invitation of ${row.name} is not waiting for you: it was sent or is being sent.`)
      }
      return reply.redirect(`/console?done=org-invitation&id=${encodeURIComponent(row.id)}#org-invitations`, 303)
    })
  }
}
