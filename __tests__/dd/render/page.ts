/**
 * One page of the compiled DingTalk build as an HTML document a browser draws as the phone would: the
 * page's AXML (Taro's base templates) rendered against the data its setData calls produced in the MiniVm,
 * the native components it declares rendered against their own data, and the app's and page's ACSS with
 * rpx converted at the device width. See axml.ts, acss.ts and html.ts for what follows the Alipay
 * documentation and what is assumed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { acssToCss, type AcssNote } from './acss'
import { AxmlProgram, type RenderHooks, type RenderProblem, type VNode } from './axml'
import { HOST_CSS, toHtml } from './html'

type Dict = Record<string, unknown>

/** What the MiniVm holds for a page: its data, and its native components' instances by element sid. */
export interface PageSnapshot {
  route: string
  title: string
  data: Dict
  components: Record<string, { file: string; data: Dict; props: Dict }>
}

export interface RenderedPage {
  html: string
  /** Unknown tags, unresolved templates, expression and SJS errors: each one a failure of the check. */
  problems: string[]
  /** What the ACSS holds that DingTalk does not apply (attribute selectors…): reported, not failures. */
  notes: AcssNote[]
}

function readJson(file: string): Dict {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Dict) : {}
}

/** The custom components a page or component declares: tag → file (project-relative, no extension). */
function usingComponents(dist: string, file: string): Map<string, string> {
  const using = (readJson(path.join(dist, `${file}.json`)).usingComponents ?? {}) as Record<string, string>
  const out = new Map<string, string>()
  for (const [tag, rel] of Object.entries(using)) {
    const target = path.normalize(rel.startsWith('/') ? rel.slice(1) : path.join(path.dirname(file), rel))
    out.set(tag, target)
  }
  return out
}

export function renderPage(dist: string, snapshot: PageSnapshot, options: { width: number; lang?: string }): RenderedPage {
  const program = new AxmlProgram(dist)
  const notes: AcssNote[] = []
  const css = (file: string) => acssToCss(file, { root: dist, width: options.width, notes })
  const pageCss = `${css('app.acss')}\n${css(`${snapshot.route}.acss`)}`
  const sharedCss: string[] = []
  const problems: string[] = []

  const hooksFor = (file: string, slots: VNode[]): RenderHooks => {
    const using = usingComponents(dist, file)
    return {
      slot: (name) => (name ? slots.filter((n) => n.type === 'element' && n.attrs.slot === name) : slots.filter((n) => n.type !== 'element' || !n.attrs.slot)),
      component: (tag, attrs, children) => {
        const target = using.get(tag)
        if (!target) return undefined
        if (!fs.existsSync(path.join(dist, `${target}.axml`))) {
          problems.push(`custom component <${tag}>: ${target}.axml not found`)
          return undefined
        }
        // ASSUMED: a component that does not say has `apply-shared` isolation (not documented by Alipay)
        const styleIsolation = String(readJson(path.join(dist, `${target}.json`)).styleIsolation ?? 'apply-shared')
        const instance = snapshot.components[String(attrs['data-sid'] ?? '')]
        const props: Dict = instance?.props ?? Object.fromEntries(Object.entries(attrs).filter(([k]) => !k.startsWith('data-')))
        const scope = { ...(instance?.data ?? {}), ...props }
        if (styleIsolation === 'shared' && !sharedCss.includes(target)) sharedCss.push(target)
        return { file: target, styleIsolation, nodes: program.render(`${target}.axml`, scope, hooksFor(target, children)) }
      },
    }
  }

  const nodes = program.render(`${snapshot.route}.axml`, snapshot.data, hooksFor(snapshot.route, []))
  const unknown = new Set<string>()
  const body = toHtml(nodes, {
    unknown,
    componentCss: (file, isolation) => {
      const own = css(`${file}.acss`)
      // isolated: only its own styles; apply-shared: the page's (app's included) apply inside, its own do
      // not leave; shared: both ways (its own are added to the page too)
      return isolation === 'isolated' ? `${HOST_CSS}\n${own}` : `${HOST_CSS}\n${pageCss}\n${own}`
    },
  })
  for (const tag of unknown) problems.push(`unknown tag <${tag}> (neither a base component nor declared in usingComponents)`)
  for (const p of program.problems as RenderProblem[]) problems.push(`${p.kind}: ${p.message} (${p.file})`)
  const html = `<!doctype html>
<html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${snapshot.title.replace(/</g, '&lt;')}</title>
<style>${HOST_CSS}</style>
<style>${pageCss}\n${sharedCss.map((f) => css(`${f}.acss`)).join('\n')}</style>
</head><body><div data-dd="page">${body}</div></body></html>
`
  return { html, problems, notes }
}
