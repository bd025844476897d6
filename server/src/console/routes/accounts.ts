import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AppContext } from '../../context'
import type { AuditFilter } from '../../repo/audit'
import { actorOf, ROLE_LABELS, type AccountResult } from '../../services/console-accounts'
import { accountOf, requireCapability, viewerOf } from '../guard'
import type { Viewer } from '../layout'
import { auditCsv, renderAccountsPage, renderAuditPage, renderHistoryPage, type AccountFormState } from '../render-accounts'
import { field, sendMessage, sendPage } from '../respond'

type IdParams = { Params: { id: string } }

const text = (value: unknown, max = 200) => (typeof value === 'string' ? value.slice(0, max) : '')
const EMPTY_FORM: AccountFormState = { username: '', name: '', role: 'iso_reviewer', isoId: '', region: '', error: null }

/** The audit filter from a query: unknown or malformed fields are ignored. */
export function auditFilterOf(query: unknown): AuditFilter {
  const f: AuditFilter = {}
  const str = (name: string) => {
    const value = field(query, name)
    return typeof value === 'string' && value.trim() !== '' && value.length <= 100 ? value.trim() : undefined
  }
  const date = (name: string) => {
    const value = str(name)
    return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined
  }
  f.action = str('action')
  f.actorId = str('actorId')
  f.subjectType = str('subjectType')
  f.subjectId = str('subjectId')
  f.isoId = str('isoId')
  f.from = date('from')
  f.to = date('to')
  const before = str('beforeSeq')
  if (before && /^\d{1,15}$/.test(before)) f.beforeSeq = Number(before)
  return f
}

function queryOf(f: AuditFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== undefined && k !== 'limit') params.set(k, String(v))
  const q = params.toString()
  return q ? `?${q}` : ''
}

/** Administrators: console accounts (create, disable, enable, reset password) and the audit trail with its CSV. */
export function accountRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.addHook('preHandler', requireCapability('accounts'))

    const accountsPage = async (
      viewer: Viewer,
      extra: { notice?: string | null; form?: AccountFormState; resetError?: { accountId: string; message: string } } = {},
    ) =>
      renderAccountsPage(viewer, {
        accounts: await ctx.repos.consoleAccounts.list(),
        isos: await ctx.repos.isos.list(),
        notice: extra.notice ?? null,
        form: extra.form ?? EMPTY_FORM,
        resetError: extra.resetError,
        selfId: viewer.account.id,
      })

    const NOTICES: Record<string, string> = {
      created: 'Created the account. Give its user name and password to its owner in person or by a channel you trust.',
      disabled: 'Disabled the account; it is signed out everywhere.',
      enabled: 'Enabled the account.',
      password: 'Reset the password; the account is signed out everywhere.',
    }

    app.get('/accounts', async (request, reply) => {
      const done = field(request.query, 'done')
      return sendPage(reply, 200, await accountsPage(viewerOf(request), { notice: typeof done === 'string' ? (NOTICES[done] ?? null) : null }))
    })

    app.post('/accounts', async (request, reply) => {
      const account = accountOf(request)
      const form: AccountFormState = {
        username: text(field(request.body, 'username'), 40),
        name: text(field(request.body, 'name'), 100),
        role: text(field(request.body, 'role'), 40),
        isoId: text(field(request.body, 'isoId'), 100),
        region: text(field(request.body, 'region'), 8).trim().toUpperCase(),
        error: null,
      }
      const result = await ctx.consoleAccounts.create(actorOf(account, request.ip), {
        ...form,
        isoId: form.isoId || null,
        region: form.region || null,
        password: text(field(request.body, 'password'), 201),
      })
      // the password typed is not sent back
      if (!result.ok) return sendPage(reply, 400, await accountsPage(viewerOf(request), { form: { ...form, error: result.problem } }))
      return reply.redirect('/console/accounts?done=created', 303)
    })

    function refused(reply: FastifyReply, result: Exclude<AccountResult, { ok: true }>): FastifyReply {
      switch (result.problem) {
        case 'not_found':
          return sendMessage(reply, 404, 'Account not found', 'There is no such console account.')
        case 'last_admin':
          return sendMessage(reply, 409, 'Last administrator', 'This is the only active administrator; create or enable another one first.')
        case 'already_disabled':
        case 'already_enabled':
          return sendMessage(reply, 409, 'Nothing to change', `The account is already ${result.problem === 'already_disabled' ? 'disabled' : 'enabled'}.`)
        default:
          return sendMessage(reply, 400, 'Not changed', result.problem)
      }
    }

    for (const [action, disabled] of [
      ['disable', true],
      ['enable', false],
    ] as const) {
      app.post<IdParams>(`/accounts/:id/${action}`, async (request, reply) => {
        const account = accountOf(request)
        if (request.params.id === account.id) return sendMessage(reply, 409, 'Your own account', 'You cannot disable or enable your own account.')
        const result = await ctx.consoleAccounts.setDisabled(actorOf(account, request.ip), request.params.id, disabled)
        return result.ok ? reply.redirect(`/console/accounts?done=${disabled ? 'disabled' : 'enabled'}`, 303) : refused(reply, result)
      })
    }

    app.post<IdParams>('/accounts/:id/password', async (request, reply) => {
      const account = accountOf(request)
      const result = await ctx.consoleAccounts.resetPassword(actorOf(account, request.ip), request.params.id, text(field(request.body, 'password'), 201))
      if (!result.ok && result.problem !== 'not_found') {
        return sendPage(reply, 400, await accountsPage(viewerOf(request), { resetError: { accountId: request.params.id, message: result.problem } }))
      }
      if (!result.ok) return refused(reply, result)
      // changing one's own password ends one's own session too
      return reply.redirect(request.params.id === account.id ? '/console/sign-in' : '/console/accounts?done=password', 303)
    })

    app.get<IdParams>('/accounts/:id/history', async (request, reply) => {
      const target = await ctx.repos.consoleAccounts.findById(request.params.id)
      if (!target) return sendMessage(reply, 404, 'Account not found', 'There is no such console account.')
      const rows = await ctx.repos.audit.forSubject('account', target.id)
      return sendPage(
        reply,
        200,
        renderHistoryPage(viewerOf(request), `History of ${target.username} (${ROLE_LABELS[target.role]})`, rows, {
          href: '/console/accounts',
          label: 'Back to the accounts',
        }),
      )
    })
  }
}

/** The audit trail for administrators: /console/audit (filters, pages of 100, newest first) and its CSV. */
export function auditRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    app.addHook('preHandler', requireCapability('audit'))
    const PAGE = 100

    app.get('/audit', async (request, reply) => {
      const filter = auditFilterOf(request.query)
      const rows = await ctx.repos.audit.search({ ...filter, limit: PAGE + 1 })
      const older = rows.length > PAGE ? `/console/audit${queryOf(filter, { beforeSeq: String(rows[PAGE - 1].seq) })}` : null
      const csvFilter = { ...filter }
      delete csvFilter.beforeSeq
      return sendPage(
        reply,
        200,
        renderAuditPage(viewerOf(request), {
          rows: rows.slice(0, PAGE),
          filter,
          actions: await ctx.repos.audit.actions(),
          older,
          csv: `/console/audit.csv${queryOf(csvFilter)}`,
        }),
      )
    })

    app.get('/audit.csv', async (request, reply) => {
      const rows = await ctx.repos.audit.search({ ...auditFilterOf(request.query), limit: 10_000 })
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="posm-audit-${ctx.clock.now().toISOString().slice(0, 10)}.csv"`)
        .send(auditCsv(rows))
    })
  }
}
