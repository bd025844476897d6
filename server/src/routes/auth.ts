import type { FastifyInstance } from 'fastify'
import { DevSignInSchema, DingTalkSignInSchema } from '../../../packages/contract/schemas'
import type { AppContext } from '../context'
import { parseBody } from '../errors'
import { localeOf } from './session'
import type { Res } from './types'

/** Sign-in endpoints: the only /api routes that need no session. */
export function authRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.post('/auth/dingtalk', async (request): Res<'POST /api/auth/dingtalk'> => {
      const input = parseBody(DingTalkSignInSchema, request.body)
      return ctx.auth.signInWithDingTalk(input, localeOf(request))
    })

    app.post('/auth/dev', async (request): Res<'POST /api/auth/dev'> => {
      ctx.auth.requireDev() // outside development mode the body does not matter
      const { staffId } = parseBody(DevSignInSchema, request.body)
      return ctx.auth.signInDev(staffId, localeOf(request))
    })

    app.get('/auth/dev/staff', async (): Res<'GET /api/auth/dev/staff'> => ({ staff: await ctx.auth.listDevStaff() }))
  }
}
