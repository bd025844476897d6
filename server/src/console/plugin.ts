import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context'
import { named } from '../routes/named-plugin'
import type { ConsoleSession } from '../services/console-accounts'
import { readCookie, SESSION_COOKIE } from './cookies'
import { sameToken } from './guard'
import { field, sendMessage } from './respond'
import { accountRoutes, auditRoutes } from './routes/accounts'
import { associationRoutes } from './routes/association'
import { clockRoutes } from './routes/clock'
import { exportRoutes } from './routes/exports'
import { inspectionConsoleRoutes } from './routes/inspections'
import { isoAdminRoutes } from './routes/isos'
import { methodAgreementRoutes } from './routes/method'
import { notificationRoutes } from './routes/notifications'
import { orgInvitationRoutes } from './routes/org-invitations'
import { promotionReviewRoutes } from './routes/promotions'
import { qrPosterRoutes } from './routes/qr'
import { signInRoutes } from './routes/sign-in'
import { testAccountConsoleRoutes } from './routes/test-accounts'

const CONSOLE_BODY_LIMIT = 16 * 1024

declare module 'fastify' {
  interface FastifyRequest {
    /** The console account signed in (console routes only). */
    consoleSession: ConsoleSession | null
  }
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const

/** A browser form from another site must not act with the console's session. */
function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site']
  if (site === 'same-origin') return false
  if (typeof site === 'string' && site !== 'none') return true
  const origin = request.headers.origin
  // Under 'Referrer-Policy: no-referrer' browsers send 'Origin: null' with same-origin forms; a browser
  // that sends it also sends Sec-Fetch-Site, handled above.
  if (typeof origin !== 'string' || origin === '' || origin === 'null') return false
  try {
    const from = new URL(origin)
    // via URL, so that default ports compare equal ("localhost:80" and "localhost")
    return from.host !== new URL(`${from.protocol}//${request.headers.host ?? ''}`).host
  } catch {
    return true
  }
}

const isSignInPath = (url: string) => /^\/console\/sign-in\/?(\?|$)/.test(url)

/**
 * The ISO platform console at /console (register with prefix '/console'): server-rendered HTML for the
 * console accounts, standing in for the ISO platform's Review List, Staff Details and ISO settings, and for
 * Alipay+'s review. This plugin wires what every console route shares: the security headers, the refusal of
 * cross-site forms, the session (signed-out visitors are sent to the sign-in form), the CSRF check of every
 * POST, and the error and not-found pages; each area's routes are in routes/. Pages are rendered through the
 * one layout (layout.ts: navigation, account line, the CSRF field of every form). Each role sees and does
 * only what `access.ts` allows it.
 */
export function consolePlugin(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    await app.register(formbody, { bodyLimit: CONSOLE_BODY_LIMIT })
    app.decorateRequest('consoleSession', null)

    app.addHook('onRequest', async (request, reply) => {
      reply.headers(SECURITY_HEADERS)
      if (request.method === 'POST' && isCrossSite(request)) {
        return sendMessage(reply, 403, 'Refused', 'Console forms can only be sent from the console itself.')
      }
      if (isSignInPath(request.url)) return undefined
      request.consoleSession = await ctx.consoleAccounts.session(readCookie(request, SESSION_COOKIE))
      if (request.consoleSession) return undefined
      if (request.method === 'GET' || request.method === 'HEAD') {
        const next = request.url.startsWith('/console') && request.url.length < 500 ? request.url : '/console'
        return reply.redirect(`/console/sign-in?next=${encodeURIComponent(next)}`, 303)
      }
      return sendMessage(reply, 401, 'Signed out', 'Your console session has ended. Sign in again, then repeat the action.')
    })

    // Every form a signed-in page sends carries the session's CSRF token (put there by layout.ts's postForm)
    app.addHook('preHandler', async (request, reply) => {
      const session = request.consoleSession
      if (request.method !== 'POST' || !session) return undefined
      if (!sameToken(field(request.body, '_csrf'), session.csrfToken)) {
        return sendMessage(reply, 403, 'Form expired', 'This form was not sent from a current console page. Reload the page and try again.')
      }
      return undefined
    })

    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: unknown }).statusCode
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return sendMessage(reply, status, 'Bad request', 'The form could not be read.')
      }
      request.log.error({ err: error }, 'console request failed')
      // the request's id, on the log lines of the failure: for the reviewer to quote to support
      return sendMessage(reply, 500, 'Something went wrong', `The console could not complete this action. Reference for support: ${request.id}`)
    })
    // A catch-all route keeps the H5 app's static wildcard (`/*`) away from /console/...
    const noSuchPage = async (_request: FastifyRequest, reply: FastifyReply) => sendMessage(reply, 404, 'Not found', 'There is no such console page.')
    app.route({ method: ['GET', 'POST'], url: '/*', handler: noSuchPage })
    app.setNotFoundHandler(noSuchPage)

    // Signing in and out: /console/sign-in, /console/sign-out
    await app.register(named('signInRoutes', signInRoutes(ctx)))
    // The ISO platform: Review List, Staff Details, ISOs: /console, /console/requests/:id/*, /console/isos/:id/*
    await app.register(named('associationRoutes', associationRoutes(ctx)))
    // The work notifications' log: /console/notifications
    await app.register(named('notificationRoutes', notificationRoutes(ctx)))
    // The deployment method's agreement: /console/method, /console/isos/:id/method/*
    await app.register(named('methodAgreementRoutes', methodAgreementRoutes(ctx)))
    // Onboarding ISOs: /console/isos, /console/isos/:id/edit
    await app.register(named('isoAdminRoutes', isoAdminRoutes(ctx)))
    // CSV exports of promotions and spots: /console/exports
    await app.register(named('exportRoutes', exportRoutes(ctx)))
    // Alipay+ review queue: /console/promotions, /console/uploads/:id
    await app.register(named('promotionReviewRoutes', promotionReviewRoutes(ctx)))
    // Spot inspections: /console/inspections
    await app.register(named('inspectionConsoleRoutes', inspectionConsoleRoutes(ctx)))
    // The ISOs' association QR posters: /console/isos/:id/association-qr.svg
    await app.register(named('qrPosterRoutes', qrPosterRoutes(ctx)))
    // "Try again" on an Org invitation: /console/org-invitations/:id/retry
    await app.register(named('orgInvitationRoutes', orgInvitationRoutes(ctx)))
    // Accounts and the audit trail: /console/accounts, /console/audit
    await app.register(named('accountRoutes', accountRoutes(ctx)))
    await app.register(named('auditRoutes', auditRoutes(ctx)))
    // Staff Details › test accounts: /console/staff/:id/test-account
    await app.register(named('testAccountConsoleRoutes', testAccountConsoleRoutes(ctx)))
    // Development mode only: /console/clock
    await app.register(named('clockRoutes', clockRoutes(ctx)))
  }
}
