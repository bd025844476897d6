import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../context'
import { actorOf } from '../../services/console-accounts'
import { knownTimeZones, type IsoField, type IsoProfileForm } from '../../services/iso-profile'
import { accountOf, requireCapability, viewerOf } from '../guard'
import type { Viewer } from '../layout'
import { EMPTY_ISO_FORM, isoFormOf, renderIsoEditPage, renderIsoListPage, type IsoFormState } from '../render-isos'
import { field, sendMessage, sendPage } from '../respond'

type IdParams = { Params: { id: string } }

const FIELDS: IsoField[] = ['name', 'email', 'region', 'timezone', 'dingtalkDeptId', 'maxSpotsPerStore']

/** The form as typed (each field a string, cut at a length no rule accepts, so that a huge value is not echoed back). */
function formOf(body: unknown): IsoProfileForm {
  const text = (name: IsoField) => {
    const value = field(body, name)
    return typeof value === 'string' ? value.slice(0, 300) : ''
  }
  return Object.fromEntries(FIELDS.map((f) => [f, text(f)])) as IsoProfileForm
}

/**
 * Onboarding ISOs (administrators): /console/isos lists them with a form for a new one; /console/isos/:id/edit
 * edits one's profile (name, ISO Email, region, time zone, DingTalk department, spot limit). Every change is
 * checked field by field and audited.
 */
export function isoAdminRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    const admin = { preHandler: requireCapability('isoOnboarding') }

    const listPage = async (viewer: Viewer, extra: { notice?: string | null; form?: IsoFormState } = {}) =>
      renderIsoListPage(viewer, {
        isos: await ctx.repos.isos.list(),
        notice: extra.notice ?? null,
        form: extra.form ?? EMPTY_ISO_FORM,
        zones: knownTimeZones(),
      })

    app.get('/isos', admin, async (request, reply) => {
      const done = field(request.query, 'done')
      const id = field(request.query, 'id')
      const iso = typeof id === 'string' ? await ctx.repos.isos.findById(id) : undefined
      let notice: string | null = null
      if (iso && done === 'created')
        notice = `Added ${iso.name} (${iso.email}). Create its ISO reviewers under Accounts; its staff can now send association requests.`
      if (iso && done === 'saved') notice = `Saved ${iso.name}.`
      if (iso && done === 'unchanged') notice = `Nothing changed for ${iso.name}.`
      return sendPage(reply, 200, await listPage(viewerOf(request), { notice }))
    })

    app.post('/isos', admin, async (request, reply) => {
      const form = formOf(request.body)
      const result = await ctx.isos.create(actorOf(accountOf(request), request.ip), form)
      if (!result.ok) {
        if (result.problem === 'not_found') return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        return sendPage(reply, 400, await listPage(viewerOf(request), { form: { values: form, errors: result.errors } }))
      }
      return reply.redirect(`/console/isos?done=created&id=${encodeURIComponent(result.iso.id)}`, 303)
    })

    app.get<IdParams>('/isos/:id/edit', admin, async (request, reply) => {
      const iso = await ctx.repos.isos.findById(request.params.id)
      if (!iso) return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
      return sendPage(reply, 200, renderIsoEditPage(viewerOf(request), iso, isoFormOf(iso), knownTimeZones()))
    })

    app.post<IdParams>('/isos/:id', admin, async (request, reply) => {
      const form = formOf(request.body)
      const result = await ctx.isos.update(actorOf(accountOf(request), request.ip), request.params.id, form)
      if (!result.ok) {
        if (result.problem === 'not_found') return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        const iso = await ctx.repos.isos.findById(request.params.id)
        if (!iso) return sendMessage(reply, 404, 'ISO not found', 'There is no such ISO.')
        return sendPage(reply, 400, renderIsoEditPage(viewerOf(request), iso, { values: form, errors: result.errors }, knownTimeZones()))
      }
      return reply.redirect(`/console/isos?done=${result.changed ? 'saved' : 'unchanged'}&id=${encodeURIComponent(result.iso.id)}`, 303)
    })
  }
}
