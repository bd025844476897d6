import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context'
import { associated } from './associated'
import type { Res } from './types'

/** The staff member's own Alipay test account, revealed on a tap in the payment step; behind the association hook. */
export function testAccountRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.post('/test-account/reveal', async (request, reply): Res<'POST /api/test-account/reveal'> => {
      const secret = await ctx.testAccounts.reveal(associated(request).staff)
      // the password is kept by no cache, shared or private
      reply.header('cache-control', 'no-store')
      return secret
    })
  }
}
