import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import type { DeploymentMethod } from '../../../packages/contract/api'
import type { ErrorCode } from '../../../packages/contract/errors'
import { RejectReasonSchema, validate } from '../../../packages/contract/schemas'
import type { ConsoleAuth } from '../config'
import type { AppContext } from '../context'
import type { DecisionResult } from '../services/association'
import { checkBasicAuth } from './basic-auth'
import { clockRoutes } from './clock'
import { inspectionConsoleRoutes } from './inspections'
import { renderNotificationLog } from './render-notifications'
import { promotionReviewRoutes } from './promotions'
import { DEPLOYMENT_METHOD_LABELS, renderConsolePage, type RejectFormError } from './render'
import { field, sendMessage, sendPage } from './respond'

const CONSOLE_BODY_LIMIT = 16 * 1024
const REALM = 'Basic realm="POSM Workspace console", charset="UTF-8"'

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

const DeploymentMethodSchema = v.picklist(Object.keys(DEPLOYMENT_METHOD_LABELS) as DeploymentMethod[])
/** A DingTalk department id, or nothing (no department: membership is not checked by department). */
const DepartmentSchema = v.pipe(v.string(), v.trim(), v.regex(/^\d{0,18}$/))

type IdParams = { Params: { id: string } }

/** A browser form from another site must not act with the console's Basic credentials. */
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
 * The ISO platform console at /console (register with prefix '/console'): server-rendered HTML behind
 * HTTP Basic auth, standing in for the ISO platform's Review List, Staff Details and ISO settings.
 */
export function consolePlugin(ctx: AppContext, auth: ConsoleAuth | null) {
  return async function (app: FastifyInstance): Promise<void> {
    await app.register(formbody, { bodyLimit: CONSOLE_BODY_LIMIT })

    app.addHook('onRequest', async (request, reply) => {
      reply.headers(SECURITY_HEADERS)
      if (!auth) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(
            'The console is disabled: no console credentials are configured. Set CONSOLE_USER and CONSOLE_PASSWORD ' +
              '(the console/console default applies only in development mode, WORKSPACE_DEV=1).\n',
          )
      }
      if (!checkBasicAuth(request.headers.authorization, auth)) {
        reply.header('www-authenticate', REALM)
        return sendMessage(reply, 401, 'Sign-in required', 'Sign in with the console user name and password.')
      }
      if (request.method === 'POST' && isCrossSite(request)) {
        return sendMessage(reply, 403, 'Refused', 'Console forms can only be sent from the console itself.')
      }
      return undefined
    })

    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: unknown }).statusCode
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return sendMessage(reply, status, 'Bad request', 'The form could not be read.')
      }
      request.log.error({ err: error }, 'console request failed')
      return sendMessage(reply, 500, 'Something went wrong', 'The console could not complete this action.')
    })
    // A catch-all route keeps the H5 app's static wildcard (`/*`) away from /console/...
    const noSuchPage = async (_request: FastifyRequest, reply: FastifyReply) => sendMessage(reply, 404, 'Not found', 'There is no such console page.')
    app.route({ method: ['GET', 'POST'], url: '/*', handler: noSuchPage })
    app.setNotFoundHandler(noSuchPage)

    function page(extra: { notice?: string | null; rejectError?: RejectFormError } = {}): string {
      return renderConsolePage({
        notice: extra.notice ?? null,
        rejectError: extra.rejectError,
        pending: ctx.repos.requests.listPending(),
        decided: ctx.repos.requests.listRecentlyDecided(20),
        staff: ctx.repos.staff.listWithIso(),
        isos: ctx.repos.isos.list(),
      })
    }

    /** The short confirmation shown after a redirect (`?done=...&id=...`). */
    function notice(query: unknown): string | null {
      const done = field(query, 'done')
      const id = field(query, 'id')
      if (typeof id !== 'string') return null
      if (done === 'approved' || done === 'rejected') {
        const r = ctx.repos.requests.findById(id)
        if (!r) return null
        return done === 'approved'
          ? `Approved the request of ${r.name} (${r.iso_name ?? r.iso_email}). They can now accept the Org invitation in DingTalk.`
          : `Rejected the request of ${r.name}. They will see your reason and can send a corrected request.`
      }
      if (done === 'saved') {
        const iso = ctx.repos.isos.findById(id)
        return iso ? `Saved: ${iso.name} follows ${DEPLOYMENT_METHOD_LABELS[iso.deployment_method]}.` : null
      }
      if (done === 'department') {
        const iso = ctx.repos.isos.findById(id)
        if (!iso) return null
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

    app.get('/', async (request, reply) => sendPage(reply, 200, page({ notice: notice(request.query) })))

    app.post<IdParams>('/requests/:id/approve', async (request, reply) => {
      const result = ctx.association.decide(request.params.id, { status: 'approved' })
      return result.ok ? backTo(reply, 'approved', result.request.id) : decisionRefused(reply, result)
    })

    app.post<IdParams>('/requests/:id/reject', async (request, reply) => {
      const { id } = request.params
      const existing = ctx.repos.requests.findById(id)
      if (!existing) return decisionRefused(reply, { ok: false, problem: 'not_found' })
      if (existing.status !== 'pending') return decisionRefused(reply, { ok: false, problem: 'already_decided', request: existing })
      const typed = field(request.body, 'reason')
      const reason = validate(RejectReasonSchema, typed)
      if (!reason.ok) {
        const code = Object.values(reason.fields)[0] ?? 'REQUIRED'
        const message = REASON_MESSAGES[code] ?? 'Enter a valid reason.'
        return sendPage(reply, 400, page({ rejectError: { requestId: id, message, reason: typeof typed === 'string' ? typed : '' } }))
      }
      const result = ctx.association.decide(id, { status: 'rejected', reason: reason.value })
      return result.ok ? backTo(reply, 'rejected', result.request.id) : decisionRefused(reply, result)
    })

    app.post<IdParams>('/isos/:id/deployment-method', async (request, reply) => {
      const method = validate(DeploymentMethodSchema, field(request.body, 'deploymentMethod'))
      if (!method.ok) return sendMessage(reply, 400, 'Invalid deployment method', 'Choose Verify-Then-Deploy or Deploy-Then-Verify.')
      if (!ctx.repos.isos.setDeploymentMethod(request.params.id, method.value)) {
        return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      }
      return backTo(reply, 'saved', request.params.id)
    })

    app.post<IdParams>('/isos/:id/dingtalk-department', async (request, reply) => {
      const typed = validate(DepartmentSchema, field(request.body, 'dingtalkDeptId'))
      if (!typed.ok) return sendMessage(reply, 400, 'Invalid DingTalk department', 'Enter the department ID as DingTalk shows it (digits only), or leave it empty.')
      const deptId = typed.value === '' ? null : Number(typed.value)
      const owner = deptId === null ? undefined : ctx.repos.isos.findByDingTalkDepartments([deptId]).find((i) => i.id !== request.params.id)
      if (owner) return sendMessage(reply, 409, 'Department in use', `DingTalk department ${deptId} is already the department of ${owner.name}.`)
      if (!ctx.repos.isos.setDingTalkDepartment(request.params.id, deptId)) return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      return backTo(reply, 'department', request.params.id)
    })

    // The work notifications: sent, waiting for a retry, given up, or not sent (no DingTalk)
    app.get('/notifications', async (_request, reply) => {
      const dd = ctx.dingtalk
      return sendPage(
        reply,
        200,
        renderNotificationLog({
          rows: ctx.repos.notifications.newest(200),
          counts: ctx.repos.notifications.countsByStatus(),
          dingtalk: dd ? `Sent through DingTalk as work notifications of the organisation ${dd.corpId}.` : null,
        }),
      )
    })

    // Alipay+ review queue: /console/promotions, /console/uploads/:id
    await app.register(promotionReviewRoutes(ctx))
    // Spot inspections: /console/inspections
    await app.register(inspectionConsoleRoutes(ctx))
    // Development mode only: /console/clock
    await app.register(clockRoutes(ctx))
  }
}
