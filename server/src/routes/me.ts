import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context'
import { staffProfile } from '../views'
import { signedIn } from './session'
import type { Res } from './types'

export function meRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/me', async (request): Res<'GET /api/me'> => staffProfile(ctx.repos, signedIn(request)))
  }
}
