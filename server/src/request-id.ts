/**
 * Request ids: every request gets one, unique across processes (a random UUID), unless it came through a
 * trusted proxy (TRUST_PROXY) that already gave it a well-formed X-Request-Id (a load balancer's id, so that
 * its access log and ours name the same request). The id is sent back in the X-Request-Id header and in every
 * API error body (`error.requestId`), and is on every log line of the request (`reqId`), DingTalk's calls
 * made for it included (requestLogScope).
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { TrustedProxies } from './client-address'

export const REQUEST_ID_HEADER = 'x-request-id'

/** What an incoming id may look like: what load balancers send (hex, UUIDs, AWS trace ids), nothing that could break a log line. */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}$/

/** Fastify's genReqId: the trusted proxy's id when it sent a well-formed one, else a new UUID. */
export function requestIdGenerator(proxies: TrustedProxies | undefined): (raw: IncomingMessage) => string {
  return (raw) => {
    const incoming = raw.headers[REQUEST_ID_HEADER]
    const peer = raw.socket?.remoteAddress
    if (proxies && typeof incoming === 'string' && WELL_FORMED.test(incoming) && peer !== undefined && proxies.trust(peer, 0)) return incoming
    return randomUUID()
  }
}

/** The log of the request being answered, for code that has none passed to it (the DingTalk client, services). */
export interface RequestLogScope {
  /** The current request's logger (its lines carry `reqId`), or undefined outside a request. */
  current(): FastifyBaseLogger | undefined
}

const RESOURCE = Symbol('requestLogResource')

/**
 * Sends the id back on every response (the API, the console, the H5 files, 404s) and keeps the request's
 * logger in an AsyncLocalStorage for the whole of its handling. The body is read in the socket's own async
 * context, so the scope is entered again before validation (as @fastify/request-context does).
 */
export function registerRequestIds(app: FastifyInstance): RequestLogScope {
  const storage = new AsyncLocalStorage<FastifyBaseLogger>()
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id)
    storage.run(request.log, () => {
      const resource = new AsyncResource('posm-request')
      ;(request as unknown as Record<symbol, AsyncResource>)[RESOURCE] = resource
      resource.runInAsyncScope(done, request.raw)
    })
  })
  app.addHook('preValidation', (request, _reply, done) => {
    const resource = (request as unknown as Record<symbol, AsyncResource | undefined>)[RESOURCE]
    if (resource) resource.runInAsyncScope(done, request.raw)
    else done()
  })
  return { current: () => storage.getStore() }
}
