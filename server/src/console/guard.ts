import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { ConsoleAccountRow } from '../repo/console-accounts'
import { ROLE_LABELS } from '../services/console-accounts'
import { can, type Capability } from './access'
import { sendMessage } from './respond'

export const canAny = (account: ConsoleAccountRow, needs: Capability | Capability[]) => (Array.isArray(needs) ? needs : [needs]).some((c) => can(account, c))

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
