import type { FastifyInstance } from 'fastify'
import { AppealSchema, ResubmissionSchema } from '../../../packages/contract/schemas'
import type { AppContext } from '../context'
import { parseBody } from '../errors'
import { parseSubmission } from '../services/promotions'
import { associated } from './associated'
import type { Res } from './types'
import { keptPhotoIdsOf } from '../photo-checks/service'

type IdParams = { Params: { id: string } }

/** Review results (statistics, store list and detail), appeals and resubmissions; behind the association hook. */
export function resultsRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/results/summary', async (request): Res<'GET /api/results/summary'> => ctx.results.summary(associated(request), request.query))

    app.get('/results/promotions', async (request): Res<'GET /api/results/promotions'> => ctx.results.list(associated(request), request.query))

    app.get<IdParams>('/results/promotions/:id', async (request): Res<'GET /api/results/promotions/:id'> =>
      ctx.results.get(associated(request), request.params.id),
    )

    app.post<IdParams>('/promotions/:id/appeals', async (request, reply): Res<'POST /api/promotions/:id/appeals'> => {
      const who = associated(request)
      await ctx.results.requireOwn(who, request.params.id)
      const input = parseBody(AppealSchema, request.body)
      const { created, promotion } = await ctx.results.appeal(who, request.params.id, input)
      // issue 26: the appeal's photos kept after a quality warning
      if (created) await ctx.photoChecks.recordKept(input.photoIds, keptPhotoIdsOf(request.body))
      reply.code(created ? 201 : 200)
      return promotion
    })

    app.post<IdParams>('/promotions/:id/resubmissions', async (request): Res<'POST /api/promotions/:id/resubmissions'> => {
      const who = associated(request)
      await ctx.results.requireOwn(who, request.params.id)
      const input = parseSubmission(ResubmissionSchema, request.body, ctx.marketingCodes)
      // with the photos kept after a quality warning (issue 26), recorded in the Modify's transaction
      const { promotion } = await ctx.results.resubmit(who, request.params.id, input, keptPhotoIdsOf(request.body))
      return promotion
    })
  }
}
