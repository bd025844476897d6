import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../context'
import { coversIso } from '../access'
import { accountOf, forbidden } from '../guard'
import { associationQrPayload, renderQrPoster } from '../qr-posters'
import { sendMessage } from '../respond'

/** GET /console/isos/:id/association-qr.svg: the ISO's poster (its scope only). */
export function qrPosterRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get<{ Params: { id: string } }>('/isos/:id/association-qr.svg', async (request, reply) => {
      const account = accountOf(request)
      const iso = await ctx.repos.isos.findById(request.params.id)
      if (!iso) return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      if (!coversIso(account, iso)) return forbidden(reply, account)
      const svg = await renderQrPoster(iso, associationQrPayload(ctx, iso.id))
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('content-disposition', `inline; filename="association-qr-${iso.id.replace(/[^A-Za-z0-9_-]/g, '')}.svg"`)
        .header('cache-control', 'no-store')
        .send(svg)
    })
  }
}
