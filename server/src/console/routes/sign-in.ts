import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AppContext } from '../../context'
import { homeOf } from '../access'
import { clearCookie, readCookie, sessionCookieOptions, setCookie, SESSION_COOKIE, SIGN_IN_COOKIE } from '../cookies'
import { renderSignInPage } from '../render-accounts'
import { field, sendPage } from '../respond'
import { FORM_MAX_AGE_SECONDS } from '../sign-in-form'

/** Only a console path of this site: never an address elsewhere. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/console(\/[\w\-./?=&%]*)?$/.test(next) && !next.startsWith('//') ? next : null)

/**
 * Signing in and out: /console/sign-in (the form, with its own token bound to its cookie: sign-in-form.ts) and
 * /console/sign-out (a form of every signed-in page, checked like the others by the plugin's CSRF check).
 */
export function signInRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    const cookieOptions = sessionCookieOptions(ctx.dev)
    const formCookieOptions = { ...cookieOptions, path: '/console/sign-in' }

    async function signInPage(reply: FastifyReply, status: number, m: { username: string; error: string | null; next: string }): Promise<FastifyReply> {
      const noAccounts = (await ctx.repos.consoleAccounts.count()) === 0
      const form = ctx.signInForm.issue()
      setCookie(reply, SIGN_IN_COOKIE, form.cookie, { ...formCookieOptions, maxAge: FORM_MAX_AGE_SECONDS })
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
      clearCookie(reply, SIGN_IN_COOKIE, formCookieOptions)
      setCookie(reply, SESSION_COOKIE, result.token, cookieOptions)
      return reply.redirect(next || homeOf(result.session.account), 303)
    })

    app.post('/sign-out', async (request, reply) => {
      const session = request.consoleSession
      if (session) await ctx.consoleAccounts.signOut(session.tokenHash)
      clearCookie(reply, SESSION_COOKIE, cookieOptions)
      return reply.redirect('/console/sign-in', 303)
    })
  }
}
