import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context'
import { ApiError, toApiError } from '../errors'
import { requireAssociated } from './associated'
import { associationRoutes } from './association'
import { authRoutes } from './auth'
import { inspectionRoutes } from './inspections'
import { meRoutes } from './me'
import { promotionRoutes } from './promotions'
import { registerRateLimits, type RateLimits } from './rate-limits'
import { resultsRoutes } from './results'
import { requireSession } from './session'
import { testAccountRoutes } from './test-account'
import { uploadRoutes } from './uploads'
import { named } from './named-plugin'
import { coreMessages } from '../core-messages'

/** Largest JSON body the API reads. */
export const API_BODY_LIMIT = 64 * 1024

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Authorization, Content-Type, X-Workspace-Locale',
  // the H5 preview on another origin reads the request id of a failure (request-id.ts)
  'access-control-expose-headers': 'X-Request-Id',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-max-age': '600',
} as const

/** Answers any error as ApiErrorBody (with the request's id); a client's bad payload is a 4xx, never a 500. */
export function sendApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(error)
  if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed')
  return reply.code(apiError.statusCode).type('application/json; charset=utf-8').send(apiError.toBody(request.id))
}

/** Everything under /api (register with prefix '/api'). */
export function apiPlugin(ctx: AppContext, limits: RateLimits) {
  return async function (app: FastifyInstance): Promise<void> {
    app.decorateRequest('staff', null)
    app.decorateRequest('associated', null)

    // JSON only (plus fastify's text/plain, which then fails validation); an empty JSON body reads as
    // "no body" so that `POST /api/association/join` with Content-Type: application/json and nothing else works.
    const defaultJson = app.getDefaultJsonParser('error', 'error')
    app.removeContentTypeParser('application/json')
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: API_BODY_LIMIT }, (request, body, done) => {
      if (body.length === 0) done(null, undefined)
      else void defaultJson(request, typeof body === 'string' ? body : body.toString('utf8'), done)
    })

    // CORS: the H5 dev server runs on another port; auth is a bearer token, never a cookie.
    app.addHook('onRequest', async (_request, reply) => {
      reply.headers(CORS_HEADERS)
    })
    app.options('/*', async (_request, reply) => reply.code(204).send())

    app.setErrorHandler((error, request, reply) => sendApiError(error, request, reply))
    // 429 RATE_LIMITED with Retry-After: sign-in per address, uploads and submissions per staff member
    await registerRateLimits(app, limits, ctx.db)
    // Unknown endpoints: a catch-all route (so the H5 app's static wildcard at `/*` never answers for
    // /api) plus the scope's not-found handler (for methods the catch-all does not list).
    const unknownEndpoint = async (request: FastifyRequest, reply: FastifyReply) =>
      sendApiError(new ApiError(404, 'NOT_FOUND', `No endpoint ${request.method} ${request.url.split('?')[0]}.`), request, reply)
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler: unknownEndpoint })
    app.setNotFoundHandler(unknownEndpoint)

    // Not part of the app's contract: lets scripts wait until the server is up.
    app.get('/health', async () => ({ status: 'ok', dev: ctx.dev }))

    // The other languages' core messages for the DingTalk build (no session: the sign-in screen needs them).
    app.get('/i18n/core', async (request, reply) => {
      const since = (request.query as { since?: unknown } | null)?.since
      const answer = coreMessages(typeof since === 'string' ? since : undefined)
      // the messages change only with a deployment: a day in shared caches, revalidated by version
      return reply.header('cache-control', 'public, max-age=86400').send(answer)
    })

    await app.register(named('authRoutes', authRoutes(ctx)))
    await app.register(
      named('authenticated', async (authenticated: FastifyInstance) => {
        requireSession(authenticated, ctx)
        await authenticated.register(named('meRoutes', meRoutes(ctx)))
        await authenticated.register(named('associationRoutes', associationRoutes(ctx)))
        // promotions: associated staff only
        await authenticated.register(
          named('promoting', async (promoting: FastifyInstance) => {
            requireAssociated(promoting, ctx)
            await promoting.register(named('promotionRoutes', promotionRoutes(ctx)))
            await promoting.register(named('resultsRoutes', resultsRoutes(ctx)))
            await promoting.register(named('inspectionRoutes', inspectionRoutes(ctx)))
            await promoting.register(named('uploadRoutes', uploadRoutes(ctx)))
            await promoting.register(named('testAccountRoutes', testAccountRoutes(ctx)))
          }),
        )
      }),
    )
  }
}
