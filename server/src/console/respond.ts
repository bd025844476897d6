import type { FastifyReply } from 'fastify'
import { renderMessagePage } from './render'

/** A form or query field, whatever the body's shape. */
export function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
}

export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page)
}

export function sendMessage(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  return sendPage(reply, status, renderMessagePage(title, message))
}
