import type { FastifyInstance } from 'fastify'
import { AssociationRequestSchema } from '../../../packages/contract/schemas'
import type { AppContext } from '../context'
import { ApiError, parseBody } from '../errors'
import { toRequestView } from '../views'
import { signedIn } from './session'
import type { Res } from './types'

/** Association with an ISO (spec "Associate ISO"); registered behind the session hook. */
export function associationRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/association', async (request): Res<'GET /api/association'> => ctx.association.state(signedIn(request).id))

    app.post('/association/requests', async (request, reply): Res<'POST /api/association/requests'> => {
      const staff = signedIn(request)
      const input = parseBody(AssociationRequestSchema, request.body)
      const state = await ctx.association.submitRequest(staff.id, input)
      reply.code(201)
      return state
    })

    app.get<{ Params: { id: string } }>('/association/requests/:id', async (request): Res<'GET /api/association/requests/:id'> => {
      const staff = signedIn(request)
      const found = await ctx.repos.requests.findById(request.params.id)
      if (!found) throw new ApiError(404, 'NOT_FOUND', 'No such association request.')
      if (found.staff_id !== staff.id) throw new ApiError(403, 'FORBIDDEN', 'This request belongs to another staff member.')
      return toRequestView(found)
    })

    // "I have joined Alipay Partners": the server asks DingTalk whether the staff member is in the
    // organisation (their ISO's department) now; 409 NOT_IN_ORGANIZATION while not yet.
    // Check again: DingTalk is asked once more (membership, the ISO's department), without signing out
    app.post('/association/check', async (request): Res<'POST /api/association/check'> => ctx.association.check(signedIn(request).id))

    // the ISO of a scanned QR code, shown by name on the request form
    app.get<{ Querystring: { id?: unknown } }>('/association/iso', async (request): Res<'GET /api/association/iso'> => {
      signedIn(request)
      const id = request.query.id
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ApiError(404, 'ISO_UNKNOWN', 'No ISO has this QR code.')
      return ctx.association.isoOfQr(id)
    })

    app.post('/association/join', async (request): Res<'POST /api/association/join'> => ctx.association.join(signedIn(request).id))
  }
}
