import type { FastifyInstance } from 'fastify'
import { PaymentVerificationSchema } from '../../../packages/contract/schemas'
import type { AppContext } from '../context'
import { parseBody } from '../errors'
import { parsePromotionCreate } from '../services/promotions'
import { associated } from './associated'
import type { Res } from './types'
import { lookupLog } from '../payments/port'
import { keptPhotoIdsOf } from '../photo-checks/service'

type IdParams = { Params: { id: string } }

/** Workspace info, Marketing Code check, payment verification and promotions; behind the association hook. */
export function promotionRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/workspace', async (request): Res<'GET /api/workspace'> => ctx.promotions.workspaceInfo(associated(request)))

    app.post('/marketing-codes/check', async (request): Res<'POST /api/marketing-codes/check'> => {
      associated(request)
      const body = request.body as { code?: unknown } | undefined
      return ctx.promotions.checkCode(body && typeof body === 'object' ? body.code : undefined)
    })

    app.post('/payment-verifications', async (request): Res<'POST /api/payment-verifications'> => {
      const who = associated(request)
      return ctx.promotions.verifyBeforePromotion(who, parseBody(PaymentVerificationSchema, request.body), lookupLog(request.log))
    })

    app.post('/promotions', async (request, reply): Res<'POST /api/promotions'> => {
      const who = associated(request)
      const input = parsePromotionCreate(request.body, ctx.marketingCodes)
      // with the photos kept after a quality warning (issue 26), recorded in the submission's transaction
      const { created, promotion } = await ctx.promotions.create(who, input, keptPhotoIdsOf(request.body))
      reply.code(created ? 201 : 200)
      return promotion
    })

    app.get('/promotions', async (request): Res<'GET /api/promotions'> => ({ promotions: await ctx.promotions.list(associated(request).staff.id) }))

    app.get<IdParams>('/promotions/:id', async (request): Res<'GET /api/promotions/:id'> => ctx.promotions.get(associated(request).staff.id, request.params.id))

    app.post<IdParams>('/promotions/:id/payment-verifications', async (request): Res<'POST /api/promotions/:id/payment-verifications'> => {
      const who = associated(request)
      // 404/403 before the body is read, as on every other route with an id
      await ctx.promotions.requireOwn(who.staff.id, request.params.id)
      return ctx.promotions.verifyForPromotion(who, request.params.id, parseBody(PaymentVerificationSchema, request.body), lookupLog(request.log))
    })
  }
}
