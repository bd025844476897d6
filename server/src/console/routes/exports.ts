import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../context'
import type { ConsoleAccountRow } from '../../repo/console-accounts'
import type { IsoRow } from '../../repo/isos'
import { checkExportPeriod, exportCsv, type ExportKind } from '../../services/exports'
import { calendarDateIn } from '../../timezone'
import { coversIso } from '../access'
import { accountOf, forbidden, requireCapability, viewerOf } from '../guard'
import { renderExportPage } from '../render-exports'
import { field, sendMessage, sendPage } from '../respond'

type KindParams = { Params: { kind: string } }

const KINDS: Record<string, ExportKind> = { 'promotions.csv': 'promotions', 'spots.csv': 'spots' }

/** The ISOs an account may export: an ISO reviewer its own; an Alipay+ reviewer and an administrator every one. */
async function isosInScope(ctx: AppContext, account: ConsoleAccountRow): Promise<IsoRow[]> {
  return (await ctx.repos.isos.list()).filter((iso) => account.role !== 'coordinator' && coversIso(account, iso))
}

/** /console/exports: CSV of promotions and spots for a period, streamed (ISO reviewers: their ISO; Alipay+ reviewers: every ISO). */
export function exportRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    const allowed = { preHandler: requireCapability('exports') }

    app.get('/exports', allowed, async (request, reply) => {
      const account = accountOf(request)
      const isos = await isosInScope(ctx, account)
      const today = calendarDateIn(ctx.clock.now(), isos.length === 1 ? isos[0].timezone : 'UTC')
      return sendPage(reply, 200, renderExportPage(viewerOf(request), isos, `${today.slice(0, 8)}01`, today, account.role !== 'iso_reviewer'))
    })

    app.get<KindParams>('/exports/:kind', allowed, async (request, reply) => {
      const kind = KINDS[request.params.kind]
      if (!kind) return sendMessage(reply, 404, 'Not found', 'There is no such export.')
      const account = accountOf(request)
      const period = checkExportPeriod(field(request.query, 'from'), field(request.query, 'to'))
      if (!period.ok) return sendMessage(reply, 400, 'Invalid period', period.message)
      const inScope = await isosInScope(ctx, account)
      const wanted = field(request.query, 'iso')
      let isos: IsoRow[]
      if (typeof wanted === 'string' && wanted !== '') {
        const iso = await ctx.repos.isos.findById(wanted)
        if (!iso) return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        if (!inScope.some((i) => i.id === iso.id)) return forbidden(reply, account)
        isos = [iso]
      } else {
        isos = inScope
      }
      const { from, to } = period.period
      const scope = isos.length === 1 ? isos[0].id : 'all-isos'
      // the file is written as the rows are read (keyset pages), never held whole
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="posm-${kind}-${scope}-${from}-to-${to}.csv"`)
        .send(Readable.from(exportCsv(ctx.db, kind, isos, period.period)))
    })
  }
}
