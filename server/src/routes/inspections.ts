import type { FastifyInstance } from 'fastify'
import { keptPhotoIdsOf } from '../photo-checks/service'
import { PaymentVerificationSchema } from '../../../packages/contract/schemas'
import type { AppContext } from '../context'
import { parseBody } from '../errors'
import { parseInspectionSubmission } from '../services/inspections'
import { associated } from './associated'
import type { Res } from './types'
import { lookupLog } from '../payments/port'

type IdParams = { Params: { id: string } }

/** Spot inspection (Verification Tasks); behind the association hook. Ownership is checked before the body is read. */
export function inspectionRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/inspections', async (request): Res<'GET /api/inspections'> => ({ tasks: await ctx.inspections.list(associated(request).staff.id) }))

    app.get<IdParams>('/inspections/:id', async (request): Res<'GET /api/inspections/:id'> =>
      ctx.inspections.get(associated(request).staff.id, request.params.id),
    )

    app.post<IdParams>('/inspections/:id/payment-verifications', async (request): Res<'POST /api/inspections/:id/payment-verifications'> => {
      const who = associated(request)
      await ctx.inspections.requireOwn(who.staff.id, request.params.id)
      return ctx.inspections.verify(who, request.params.id, parseBody(PaymentVerificationSchema, request.body), lookupLog(request.log))
    })

    app.post<IdParams>('/inspections/:id/submissions', async (request, reply): Res<'POST /api/inspections/:id/submissions'> => {
      const who = associated(request)
      await ctx.inspections.requireOwn(who.staff.id, request.params.id)
      const input = parseInspectionSubmission(request.body)
      const { created, task } = await ctx.inspections.submit(who, request.params.id, input)
      // issue 26: photos kept after a quality warning, and each spot photo's code against the code scanned on the material
      if (created) {
        await ctx.photoChecks.recordSubmission(
          { product: task.product, store: input.store, spots: input.spots.map((s) => ({ photoId: s.photoId, marketingCode: s.scannedCode })) },
          keptPhotoIdsOf(request.body),
        )
      }
      reply.code(created ? 201 : 200)
      return task
    })
  }
}
