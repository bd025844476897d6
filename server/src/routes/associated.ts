import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../context'
import { ApiError } from '../errors'
import type { Associated } from '../services/promotions'

/**
 * Requires an associated staff member (403 NOT_ASSOCIATED otherwise) on every route of `app`; register
 * inside the session scope. Runs before the body is read.
 */
export function requireAssociated(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request) => {
    request.associated = await ctx.promotions.requireAssociated(request.staff)
  })
}

/** The staff member and ISO the association hook found. */
export function associated(request: FastifyRequest): Associated {
  if (!request.associated) throw new ApiError(403, 'NOT_ASSOCIATED', 'Join your ISO before promoting Alipay+ POSMs.')
  return request.associated
}
