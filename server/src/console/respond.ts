import type { FastifyReply } from 'fastify'
import { messagePage, type Viewer } from './layout'

/** A form or query field, whatever the body's shape. */
export function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
}

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page)
}

/** The viewer of the request being answered, when someone is signed in (a refusal can come before the session is read). */
function viewerOfReply(reply: FastifyReply): Viewer | null {
  const session = reply.request.consoleSession
  return session ? { account: session.account, csrf: session.csrfToken } : null
}

/** A short page saying what was refused and why, in the console's layout (with the navigation when signed in). */
export function sendMessage(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  return sendPage(reply, status, messagePage(viewerOfReply(reply), title, message))
}
