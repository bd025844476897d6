import { orgInvitationRoutes } from './org-invitations'
import { qrPosterRoutes } from './qr-posters'
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import type { ErrorCode } from '../../../packages/contract/errors'
import { RejectReasonSchema, validate } from '../../../packages/contract/schemas'
import type { AppContext } from '../context'
import type { ConsoleAccountRow } from '../repo/console-accounts'
import type { DecisionResult } from '../services/association'
import { actorOf, ROLE_LABELS, type ConsoleSession } from '../services/console-accounts'
import { can, coversIso, coversIsoId, homeOf, type Capability } from './access'
import { accountRoutes, auditRoutes } from './accounts'
import { clearCookie, readCookie, setCookie, type CookieOptions } from './cookies'
import { accountOf, canAny, forbidden, requireCapability, sameToken } from './guard'
import { clockRoutes } from './clock'
import { exportRoutes } from './exports'
import { inspectionConsoleRoutes } from './inspections'
import { methodAgreementRoutes } from './method'
import { isoAdminRoutes } from './isos'
import { renderNotificationLog } from './render-notifications'
import { promotionReviewRoutes } from './promotions'
import { renderConsolePage, renderNav, SPOT_LIMIT_RANGE, type ConsoleSection, type NavLink, type RejectFormError } from './render'
import { renderHistoryPage, renderSignInPage } from './render-accounts'
import { FORM_MAX_AGE_SECONDS } from './sign-in-form'
import { testAccountConsoleRoutes } from './test-accounts'
import { field, sendMessage, sendPage } from './respond'
import { named } from '../routes/named-plugin'

const CONSOLE_BODY_LIMIT = 16 * 1024
/** The session cookie (HttpOnly, SameSite=Strict, Secure outside development, only sent to /console). */
export const SESSION_COOKIE = 'posm_console'
/** The sign-in form's cookie; the form's token is the server's HMAC of its value (sign-in-form.ts). */
export const SIGN_IN_COOKIE = 'posm_console_signin'

declare module 'fastify' {
  interface FastifyRequest {
    /** The console account signed in (console routes only). */
    consoleSession: ConsoleSession | null
  }
}

const NAV_LINKS: ReadonlyArray<NavLink & { needs: Capability | Capability[] }> = [
  { section: 'association', href: '/console', label: 'Association requests', needs: ['association', 'staff', 'isoSettings'] },
  { section: 'method', href: '/console/method', label: 'Deployment method', needs: 'methodView' },
  { section: 'isos', href: '/console/isos', label: 'ISOs', needs: 'isoOnboarding' },
  { section: 'promotions', href: '/console/promotions', label: 'Alipay+ review queue', needs: 'promotions' },
  { section: 'inspections', href: '/console/inspections', label: 'Spot inspections', needs: 'inspections' },
  { section: 'exports', href: '/console/exports', label: 'Exports', needs: 'exports' },
  { section: 'notifications', href: '/console/notifications', label: 'Work notifications', needs: 'notifications' },
  { section: 'accounts', href: '/console/accounts', label: 'Accounts', needs: 'accounts' },
  { section: 'audit', href: '/console/audit', label: 'Audit trail', needs: 'audit' },
]

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const

const REASON_MESSAGES: Partial<Record<ErrorCode, string>> = {
  REQUIRED: 'Enter a reason: the staff member sees it and can correct their request.',
  TEXT_TOO_LONG: 'The reason is too long (500 characters at most).',
}

/** A DingTalk department id, or nothing (no department: membership is not checked by department). */
const DepartmentSchema = v.pipe(v.string(), v.trim(), v.regex(/^\d{0,18}$/))
const SpotLimitSchema = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{1,3}$/),
  v.transform(Number),
  v.minValue(SPOT_LIMIT_RANGE.min),
  v.maxValue(SPOT_LIMIT_RANGE.max),
)

type IdParams = { Params: { id: string } }

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

/**
 * The ISO platform console at /console (register with prefix '/console'): server-rendered HTML for the
 * console accounts (sign-in form, session cookie, CSRF token on every form), standing in for the ISO
 * platform's Review List, Staff Details and ISO settings, and for Alipay+'s review. Each role sees and
 * does only what `access.ts` allows it.
 */
export function consolePlugin(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    await app.register(formbody, { bodyLimit: CONSOLE_BODY_LIMIT })
    app.decorateRequest('consoleSession', null)
    const cookieOptions: CookieOptions = { path: '/console', httpOnly: true, sameSite: 'strict', secure: !ctx.dev }

    const isSignInPath = (url: string) => /^\/console\/sign-in\/?(\?|$)/.test(url)

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

    // Every form a signed-in page sends carries the session's CSRF token
    app.addHook('preHandler', async (request, reply) => {
      const session = request.consoleSession
      if (request.method !== 'POST' || !session) return undefined
      if (!sameToken(field(request.body, '_csrf'), session.csrfToken)) {
        return sendMessage(reply, 403, 'Form expired', 'This form was not sent from a current console page. Reload the page and try again.')
      }
      return undefined
    })

    // The navigation of the signed-in account, and the CSRF token in every POST form of the page
    app.addHook('onSend', async (request, reply, payload) => {
      if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload
      const session = request.consoleSession
      return payload
        .replace(/<!--console-nav:([a-z]*)-->/, (_m, current: string) => {
          if (!session) return ''
          const links = NAV_LINKS.filter((l) => canAny(session.account, l.needs))
          return renderNav((current || null) as ConsoleSection | null, links, `${session.account.name} · ${ROLE_LABELS[session.account.role]}`)
        })
        .replace(/<form method="post"[^>]*>/g, (tag) => (session ? `${tag}<input type="hidden" name="_csrf" value="${session.csrfToken}">` : tag))
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

    /** The region of an ISO (undefined: no ISO, or no such ISO). */
    async function regionOf(isoId: string | null): Promise<string | undefined> {
      return isoId === null ? undefined : (await ctx.repos.isos.findById(isoId))?.region
    }

    async function page(account: ConsoleAccountRow, extra: { notice?: string | null; rejectError?: RejectFormError } = {}): Promise<string> {
      const isos = await ctx.repos.isos.list()
      const regions = new Map(isos.map((iso) => [iso.id, iso.region]))
      const inScope = (isoId: string | null) => coversIsoId(account, isoId, (id) => regions.get(id))
      const decided = can(account, 'association') ? (await ctx.repos.requests.listRecentlyDecided(200)).filter((r) => inScope(r.iso_id)).slice(0, 20) : null
      const decidedBy: Record<string, string> = {}
      for (const r of decided ?? []) {
        const entry = (await ctx.repos.audit.forSubject('association_request', r.id)).at(-1)
        if (entry) decidedBy[r.id] = entry.actor_name
      }
      return renderConsolePage({
        notice: extra.notice ?? null,
        rejectError: extra.rejectError,
        pending: can(account, 'association') ? (await ctx.repos.requests.listPending()).filter((r) => inScope(r.iso_id)) : null,
        decided,
        decidedBy,
        staff: can(account, 'staff')
          ? (await ctx.repos.staff.listWithIso()).filter((s) => account.role === 'admin' || (s.iso_id !== null && inScope(s.iso_id)))
          : null,
        orgInvitations: can(account, 'association')
          ? await ctx.repos.orgInvitations.newest(account.role === 'admin' ? null : isos.filter((iso) => inScope(iso.id)).map((iso) => iso.id), 200)
          : null,
        isos: isos
          .filter((iso) => coversIso(account, iso))
          .map((row) => ({ row, editSettings: can(account, 'isoSettings'), editDepartment: can(account, 'isoDingTalk') })),
        canOnboard: can(account, 'isoOnboarding'),
      })
    }

    /**
     * The scope checks of a console record, written once: the routes that act on a record and every
     * message that names one (the confirmation after a redirect) use them.
     */
    async function requestCovered(account: ConsoleAccountRow, r: { iso_id: string | null }): Promise<boolean> {
      const region = await regionOf(r.iso_id)
      return coversIsoId(account, r.iso_id, () => region)
    }
    const isoCovered = (account: ConsoleAccountRow, iso: { id: string; region: string }): boolean => coversIso(account, iso)

    /**
     * The short confirmation shown after a redirect (`?done=...&id=...`): only for a record the account may
     * act on (its role's capability and its scope), and only when the record is in the state announced; else
     * nothing, so that the address tells nothing about a record outside the account's scope.
     */
    async function notice(account: ConsoleAccountRow, query: unknown): Promise<string | null> {
      const done = field(query, 'done')
      const id = field(query, 'id')
      if (typeof id !== 'string') return null
      if (done === 'approved' || done === 'rejected') {
        const r = await ctx.repos.requests.findById(id)
        if (!r || r.status !== done || !can(account, 'association') || !(await requestCovered(account, r))) return null
        return done === 'approved'
          ? `Approved the request of ${r.name} (${r.iso_name ?? r.iso_email}). They can now accept the Org invitation in DingTalk.`
          : `Rejected the request of ${r.name}. They will see your reason and can send a corrected request.`
      }
      if (done === 'org-invitation') {
        const row = await ctx.repos.orgInvitations.findById(id)
        if (!row || !can(account, 'association') || !(await requestCovered(account, row))) return null
        return `The Org invitation of ${row.name} is back in the queue: the server asks DingTalk again now.`
      }
      if (done === 'saved' || done === 'department') {
        const iso = await ctx.repos.isos.findById(id)
        if (!iso || !can(account, done === 'saved' ? 'isoSettings' : 'isoDingTalk') || !isoCovered(account, iso)) return null
        if (done === 'saved') return `Saved: ${iso.name} allows at most ${iso.max_spots_per_store} spots per store.`
        return iso.dingtalk_dept_id === null
          ? `Saved: ${iso.name} has no DingTalk department; joining is checked against the organisation only.`
          : `Saved: the staff of ${iso.name} are the members of DingTalk department ${iso.dingtalk_dept_id}.`
      }
      return null
    }

    function decisionRefused(reply: FastifyReply, result: Exclude<DecisionResult, { ok: true }>): FastifyReply {
      switch (result.problem) {
        case 'not_found':
          return sendMessage(reply, 404, 'Request not found', 'There is no such association request.')
        case 'already_decided':
          return sendMessage(
            reply,
            409,
            'Already decided',
            `The request of ${result.request.name} was already ${result.request.status}; only pending requests can be decided.`,
          )
        case 'iso_missing':
          return sendMessage(reply, 409, 'Unknown ISO', 'The ISO this request was sent to no longer exists.')
      }
    }

    function backTo(reply: FastifyReply, done: string, id: string): FastifyReply {
      return reply.redirect(`/console?done=${done}&id=${encodeURIComponent(id)}`, 303)
    }

    // --- signing in and out ---

    /** Only a console path of this site: never an address elsewhere. */
    const safeNext = (next: unknown) => (typeof next === 'string' && /^\/console(\/[\w\-./?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : null)

    async function signInPage(reply: FastifyReply, status: number, m: { username: string; error: string | null; next: string }): Promise<FastifyReply> {
      const noAccounts = (await ctx.repos.consoleAccounts.count()) === 0
      const form = ctx.signInForm.issue()
      setCookie(reply, SIGN_IN_COOKIE, form.cookie, { ...cookieOptions, path: '/console/sign-in', maxAge: FORM_MAX_AGE_SECONDS })
      return sendPage(reply, status, renderSignInPage({ ...m, formToken: form.token, noAccounts, dev: ctx.dev }))
    }

    app.get('/sign-in', async (request, reply) => {
      const next = safeNext(field(request.query, 'next')) ?? ''
      const current = await ctx.consoleAccounts.session(readCookie(request, SESSION_COOKIE))
      if (current) return reply.redirect(next || homeOf(current.account), 303)
      return signInPage(reply, 200, { username: '', error: null, next })
    })

    app.post('/sign-in', async (request, reply) => {
      const username = typeof field(request.body, 'username') === 'string' ? (field(request.body, 'username') as string).slice(0, 100) : ''
      const password = field(request.body, 'password')
      const next = safeNext(field(request.body, 'next')) ?? ''
      if (!ctx.signInForm.check(readCookie(request, SIGN_IN_COOKIE), field(request.body, '_csrf'))) {
        return signInPage(reply, 403, { username, error: 'This sign-in form has expired. Enter your user name and password again.', next })
      }
      if (!username.trim() || typeof password !== 'string' || password === '' || password.length > 200) {
        return signInPage(reply, 400, { username, error: 'Enter your user name and password.', next })
      }
      const result = await ctx.consoleAccounts.signIn(username, password, request.ip)
      if (!result.ok) {
        if (result.problem === 'locked') {
          const minutes = Math.ceil(result.retryAfterSeconds / 60)
          reply.header('retry-after', String(result.retryAfterSeconds))
          return signInPage(reply, 429, {
            username,
            error: `Too many failed sign-ins. Signing in is paused for ${minutes} minute${minutes === 1 ? '' : 's'}; try again later or ask an administrator.`,
            next,
          })
        }
        return signInPage(reply, 401, { username, error: 'The user name or password is not correct.', next })
      }
      clearCookie(reply, SIGN_IN_COOKIE, { ...cookieOptions, path: '/console/sign-in' })
      setCookie(reply, SESSION_COOKIE, result.token, cookieOptions)
      return reply.redirect(next || homeOf(result.session.account), 303)
    })

    app.post('/sign-out', async (request, reply) => {
      const session = request.consoleSession
      if (session) await ctx.consoleAccounts.signOut(session.tokenHash)
      clearCookie(reply, SESSION_COOKIE, cookieOptions)
      return reply.redirect('/console/sign-in', 303)
    })

    // --- the ISO platform: Review List, Staff Details, ISOs ---

    app.get('/', async (request, reply) => {
      const account = accountOf(request)
      if (!canAny(account, ['association', 'staff', 'isoSettings']))
        return reply.redirect(homeOf(account) === '/console' ? '/console/promotions' : homeOf(account), 303)
      return sendPage(reply, 200, await page(account, { notice: await notice(account, request.query) }))
    })

    /** The request, when the account may decide it (else the refusal was sent). */
    async function requestInScope(request: FastifyRequest<IdParams>, reply: FastifyReply) {
      const account = accountOf(request)
      const existing = await ctx.repos.requests.findById(request.params.id)
      if (!existing) {
        decisionRefused(reply, { ok: false, problem: 'not_found' })
        return null
      }
      if (!(await requestCovered(account, existing))) {
        forbidden(reply, account)
        return null
      }
      return { account, existing }
    }

    app.post<IdParams>('/requests/:id/approve', { preHandler: requireCapability('association') }, async (request, reply) => {
      const found = await requestInScope(request, reply)
      if (!found) return reply
      const result = await ctx.association.decide(actorOf(found.account, request.ip), request.params.id, { status: 'approved' })
      return result.ok ? backTo(reply, 'approved', result.request.id) : decisionRefused(reply, result)
    })

    app.post<IdParams>('/requests/:id/reject', { preHandler: requireCapability('association') }, async (request, reply) => {
      const found = await requestInScope(request, reply)
      if (!found) return reply
      const { account, existing } = found
      const { id } = request.params
      if (existing.status !== 'pending') return decisionRefused(reply, { ok: false, problem: 'already_decided', request: existing })
      const typed = field(request.body, 'reason')
      const reason = validate(RejectReasonSchema, typed)
      if (!reason.ok) {
        const code = Object.values(reason.fields)[0] ?? 'REQUIRED'
        const message = REASON_MESSAGES[code] ?? 'Enter a valid reason.'
        return sendPage(reply, 400, await page(account, { rejectError: { requestId: id, message, reason: typeof typed === 'string' ? typed : '' } }))
      }
      const result = await ctx.association.decide(actorOf(account, request.ip), id, { status: 'rejected', reason: reason.value })
      return result.ok ? backTo(reply, 'rejected', result.request.id) : decisionRefused(reply, result)
    })

    /** The ISO, when the account's scope covers it (else the refusal was sent). */
    async function isoInScope(request: FastifyRequest<IdParams>, reply: FastifyReply) {
      const account = accountOf(request)
      const iso = await ctx.repos.isos.findById(request.params.id)
      if (!iso) {
        sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        return null
      }
      if (!isoCovered(account, iso)) {
        forbidden(reply, account)
        return null
      }
      return { account, iso }
    }

    // the spot limit (the deployment method is agreed, not set: /console/method, method.ts)
    app.post<IdParams>('/isos/:id/spot-limit', { preHandler: requireCapability('isoSettings') }, async (request, reply) => {
      const found = await isoInScope(request, reply)
      if (!found) return reply
      const limit = validate(SpotLimitSchema, field(request.body, 'maxSpotsPerStore'))
      if (!limit.ok) {
        return sendMessage(
          reply,
          400,
          'Invalid spot limit',
          `Enter how many spots a store may have: a whole number from ${SPOT_LIMIT_RANGE.min} to ${SPOT_LIMIT_RANGE.max}.`,
        )
      }
      const result = await ctx.isos.setSpotLimit(actorOf(found.account, request.ip), found.iso.id, limit.value)
      if (!result.ok) return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      return backTo(reply, 'saved', request.params.id)
    })

    app.post<IdParams>('/isos/:id/dingtalk-department', { preHandler: requireCapability('isoDingTalk') }, async (request, reply) => {
      const found = await isoInScope(request, reply)
      if (!found) return reply
      const typed = validate(DepartmentSchema, field(request.body, 'dingtalkDeptId'))
      if (!typed.ok)
        return sendMessage(reply, 400, 'Invalid DingTalk department', 'Enter the department ID as DingTalk shows it (digits only), or leave it empty.')
      const deptId = typed.value === '' ? null : Number(typed.value)
      const result = await ctx.isos.setDepartment(actorOf(found.account, request.ip), found.iso.id, deptId)
      if (!result.ok) {
        return result.problem === 'department_in_use'
          ? sendMessage(reply, 409, 'Department in use', `DingTalk department ${deptId} is already the department of ${result.owner.name}.`)
          : sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      }
      return backTo(reply, 'department', request.params.id)
    })

    app.get<IdParams>(
      '/isos/:id/history',
      { preHandler: requireCapability(['association', 'isoSettings', 'isoDingTalk', 'methodView']) },
      async (request, reply) => {
        const found = await isoInScope(request, reply)
        if (!found) return reply
        // the ISO's settings, and the association requests decided for it
        const rows = (await ctx.repos.audit.search({ isoId: found.iso.id, limit: 500 })).filter(
          (r) => r.subject_type === 'iso' || r.subject_type === 'association_request',
        )
        return sendPage(reply, 200, renderHistoryPage(`History of ${found.iso.name}`, rows.reverse(), { href: '/console', label: 'Back to the ISOs' }))
      },
    )

    // The work notifications: sent, waiting for a retry, given up, or not sent (no DingTalk)
    app.get('/notifications', { preHandler: requireCapability('notifications') }, async (_request, reply) => {
      const dd = ctx.dingtalk
      return sendPage(
        reply,
        200,
        renderNotificationLog({
          rows: await ctx.repos.notifications.newest(200),
          counts: await ctx.repos.notifications.countsByStatus(),
          dingtalk: dd ? `Sent through DingTalk as work notifications of the organisation ${dd.corpId}.` : null,
        }),
      )
    })

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
    await app.register(named('qrPosterRoutes', qrPosterRoutes(ctx)))
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
