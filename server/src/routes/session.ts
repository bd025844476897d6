import type { FastifyInstance, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import type { Locale } from '../../../packages/contract/api'
import { LocaleSchema } from '../../../packages/contract/schemas'
import type { AppContext } from '../context'
import { ApiError } from '../errors'
import type { StaffRow } from '../repo/staff'

/** The header in which the app sends its working language with every call. */
export const LOCALE_HEADER = 'x-workspace-locale'

/** The working language the app reported, or null (absent or not one of the nine). */
export function localeOf(request: FastifyRequest): Locale | null {
  const result = v.safeParse(LocaleSchema, request.headers[LOCALE_HEADER])
  return result.success ? result.output : null
}

/**
 * Requires `Authorization: Bearer <token>` on every route of `app` (and its children). Runs onRequest,
 * before the body is parsed, so an anonymous caller learns nothing about payload rules.
 */
export function requireSession(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request) => {
    const staff = await ctx.auth.authenticate(request.headers.authorization)
    await ctx.auth.noteLocale(staff, localeOf(request))
    request.staff = staff
  })
}

/** The staff member the session hook found. */
export function signedIn(request: FastifyRequest): StaffRow {
  if (!request.staff) throw new ApiError(401, 'UNAUTHORIZED', 'Sign in first.')
  return request.staff
}
