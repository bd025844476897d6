import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../context'
import { ApiError } from '../errors'
import type { StaffRow } from '../repo/staff'

/**
 * Requires `Authorization: Bearer <token>` on every route of `app` (and its children). Runs onRequest,
 * before the body is parsed, so an anonymous caller learns nothing about payload rules.
 */
export function requireSession(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request) => {
    request.staff = ctx.auth.authenticate(request.headers.authorization)
  })
}

/** The staff member the session hook found. */
export function signedIn(request: FastifyRequest): StaffRow {
  if (!request.staff) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first.')
  return request.staff
}
