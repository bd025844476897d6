import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Db } from '../db'
import { ApiError } from '../errors'
import { databaseRateLimitCounter, rateLimitStoreOf } from './rate-limit-store'

/** Requests allowed per minute, per kind of call. */
export interface RateLimits {
  /** Sign-ins (DingTalk code or development sign-in) from one address. */
  signInPerMinute: number
  /** Photo uploads of one signed-in staff member. */
  uploadsPerMinute: number
  /** Submissions (promotions, payment evidence, appeals, resubmissions, inspections, association requests) of one staff member. */
  submissionsPerMinute: number
}

/**
 * Defaults: a whole office behind one address can sign in at the start of a day (field staff on mobile
 * networks share carrier addresses too), a staff member uploads at most a few photos a minute by hand
 * (the outbox sends queued ones in a burst after a dead zone), and submits far fewer.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { signInPerMinute: 60, uploadsPerMinute: 60, submissionsPerMinute: 30 }

type Kind = keyof RateLimits

const SUBMISSIONS = [
  /^\/api\/promotions$/,
  /^\/api\/payment-verifications$/,
  /^\/api\/marketing-codes\/check$/,
  /^\/api\/promotions\/[^/]+\/(payment-verifications|appeals|resubmissions)$/,
  /^\/api\/inspections\/[^/]+\/(payment-verifications|submissions)$/,
  // Check again asks DingTalk each time
  /^\/api\/association\/(requests|join|check)$/,
]

/** Which limit a request counts against, or null (reads are not limited). */
export function limitedKind(request: FastifyRequest): Kind | null {
  if (request.method !== 'POST') return null
  const path = request.url.split('?')[0].replace(/\/+$/, '')
  if (path === '/api/auth/dingtalk' || path === '/api/auth/dev') return 'signInPerMinute'
  if (path === '/api/uploads') return 'uploadsPerMinute'
  return SUBMISSIONS.some((re) => re.test(path)) ? 'submissionsPerMinute' : null
}

/**
 * Per staff member for signed-in calls (whichever of their sessions, however the request spells it), per
 * client address before authentication (sign-in). Route-level hooks run after the scopes' hooks, so by the
 * time this runs the session hook (session.ts) has found the staff member of a signed-in route, or refused
 * the request (401) without counting it.
 */
function keyOf(request: FastifyRequest, kind: Kind): string {
  if (kind !== 'signInPerMinute' && request.staff) return `${kind}:staff:${request.staff.id}`
  return `${kind}:ip:${request.ip}`
}

/**
 * @fastify/rate-limit on the API: over the limit, 429 RATE_LIMITED with `Retry-After` (seconds) and the
 * same wait in the body (`error.retryAfterSeconds`: DingTalk's uploadFile does not hand headers to the app).
 * The counts live in the database, shared by every server process (replicas behind a load balancer), sent in
 * batches (rate-limit-store.ts): no write on every request. The last counts are sent when the server closes.
 */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits, db: Db): Promise<void> {
  const counter = databaseRateLimitCounter(db)
  // (this scope's onClose runs before the server's own, which closes the database)
  app.addHook('onClose', () => counter.close())
  await app.register(rateLimit, {
    global: true,
    store: rateLimitStoreOf(counter),
    timeWindow: 60_000,
    allowList: (request) => limitedKind(request) === null,
    max: (request) => limits[limitedKind(request) ?? 'submissionsPerMinute'],
    keyGenerator: (request) => {
      const kind = limitedKind(request) ?? 'submissionsPerMinute'
      return keyOf(request, kind)
    },
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000))
      const error = new ApiError(429, 'RATE_LIMITED', `Too many requests; try again in ${seconds} s.`, undefined, seconds)
      return error
    },
  })
}
