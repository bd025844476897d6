import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { ConsoleAccountRow } from '../repo/console-accounts'
import { ROLE_LABELS } from '../services/console-accounts'
import { canAny, type Capability } from './access'
import type { Viewer } from './layout'
import { sendMessage } from './respond'

export function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false
  return timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

/** A preHandler refusing (403) an account whose role lacks the capability. */
export function requireCapability(needs: Capability | Capability[]): preHandlerAsyncHookHandler {
  return async function (request, reply) {
    const account = request.consoleSession?.account
    if (!account || !canAny(account, needs)) return forbidden(reply, account)
    return undefined
  }
}

export function forbidden(reply: FastifyReply, account: ConsoleAccountRow | undefined): FastifyReply {
  return sendMessage(
    reply,
    403,
    'Not allowed',
    account ? `Your role (${ROLE_LABELS[account.role]}) cannot open this page or take this action.` : 'Sign in first.',
  )
}

/** The signed-in account (console routes run after the session hook, so it is there). */
export function accountOf(request: FastifyRequest): ConsoleAccountRow {
  const account = request.consoleSession?.account
  if (!account) throw new Error('console route reached without a session')
  return account
}

/** Who looks at the page: the signed-in account and its session's CSRF token, for the page's layout and forms. */
export function viewerOf(request: FastifyRequest): Viewer {
  const session = request.consoleSession
  if (!session) throw new Error('console route reached without a session')
  return { account: session.account, csrf: session.csrfToken }
}
