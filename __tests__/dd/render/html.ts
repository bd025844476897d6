/**
 * The rendered AXML tree (axml.ts) as HTML: each base component Taro uses is drawn by an ordinary HTML
 * element marked `data-dd="<component>"` (ACSS type selectors are rewritten to match it, see acss.ts), and
 * each custom component (src/native) by its own element holding a shadow tree with its template, styled
 * according to its `styleIsolation`.
 *
 * What a base component looks like before the app's ACSS applies is the DingTalk client's business and is
 * not documented (Alipay documents attributes and behaviour, not default styles). HOST_CSS below is what
 * this renderer ASSUMES, kept neutral and written down so that a difference it causes can be traced here:
 * view a block; text inline, keeping line breaks; button a full-width block with centred text (the
 * documented `size="default"`, "a block-level button"); input and textarea fill their container; image
 * 300×225 px unless styled (WeChat's documented default; Alipay documents none), its `mode` drawn with
 * object-fit; textarea shows its character count, as Alipay documents (`show-count`, default true).
 * A custom component's own element is an ordinary inline element (WeChat documents this; Alipay does not).
 */
import type { VElement, VNode } from './axml'

/** The base components this renderer draws (the ones Taro's templates use for this app). */
export const BASE_COMPONENTS = new Set(['view', 'text', 'image', 'button', 'input', 'textarea', 'scroll-view', 'picker'])

export const HOST_CSS = `
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; }
[data-dd="page"] { display: block; min-height: 100vh; }
[data-dd="view"] { display: block; }
[data-dd="text"] { display: inline; white-space: pre-line; }
[data-dd="button"] { display: block; position: relative; box-sizing: border-box; width: 100%; margin: 0; padding: 0 15px;
  font: inherit; font-size: 18px; line-height: 2.5; text-align: center; color: #333; background: #fff;
  border: 1px solid #dcdee3; border-radius: 4px; -webkit-appearance: none; appearance: none; }
[data-dd="button"][data-type="primary"] { color: #fff; background: #1677ff; border-color: #1677ff; }
[data-dd="button"][data-type="warn"] { color: #fff; background: #ff3141; border-color: #ff3141; }
[data-dd="button"][data-size="mini"] { display: inline-block; width: auto; font-size: 13px; padding: 0 10px; }
[data-dd="button"][disabled] { opacity: 0.4; }
[data-dd="button"] [data-dd="loading"] { display: inline-block; width: 1em; height: 1em; margin-right: 0.4em; vertical-align: -0.15em;
  border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%; box-sizing: border-box; }
[data-dd="input"] { display: block; box-sizing: border-box; width: 100%; margin: 0; padding: 0; font: inherit; color: inherit;
  background: transparent; border: 0; outline: none; }
[data-dd="textarea"] { display: flex; flex-direction: column; position: relative; box-sizing: border-box; width: 100%; }
[data-dd="textarea"] > textarea { display: block; flex: 1 1 auto; box-sizing: border-box; width: 100%; min-height: 0; margin: 0; padding: 0;
  font: inherit; color: inherit; background: transparent; border: 0; outline: none; resize: none; }
[data-dd="textarea-count"] { position: absolute; right: 0.5em; bottom: 0.25em; font-size: 12px; color: #999; }
[data-dd="image"] { display: inline-block; width: 300px; height: 225px; object-fit: fill; }
[data-dd="scroll-view"] { display: block; }
[data-dd="picker"] { display: block; }
[data-dd-host] { display: inline; }
`

type Dict = Record<string, unknown>

export interface HtmlContext {
  /** Unknown tags met (a tag that is neither a base component nor a custom component of the page). */
  unknown: Set<string>
  /** CSS for a component's shadow tree, by its styleIsolation and file. */
  componentCss(file: string, styleIsolation: string): string
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === false ? undefined : String(v))

/**
 * A boolean attribute's value converted as JavaScript does: the data-binding reference says `checked="false"`
 * is a string, hence true; so `""` (what Taro sets when a prop is removed) is false.
 */
const bool = (v: unknown): boolean => Boolean(v)

/** Attributes every base component takes: id, class, style, hidden, and ARIA/role passed through. */
function common(attrs: Dict, tag: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { 'data-dd': tag, id: str(attrs.id), class: str(attrs.class), style: str(attrs.style) }
  for (const [k, v] of Object.entries(attrs)) if (k === 'role' || k.startsWith('aria-') || k.startsWith('data-')) out[k] = str(v)
  if (bool(attrs.hidden)) out.hidden = ''
  return out
}

function open(tag: string, attrs: Record<string, string | undefined>): string {
  const parts = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${esc(v as string)}"`))
  return `<${tag}${parts.join('')}>`
}

const FIT: Record<string, string> = { scaleToFill: 'fill', aspectFit: 'contain', aspectFill: 'cover', widthFix: 'fill', heightFix: 'fill', center: 'none' }

export function toHtml(nodes: VNode[], ctx: HtmlContext): string {
  return nodes.map((n) => node(n, ctx)).join('')
}

function node(n: VNode, ctx: HtmlContext): string {
  if (n.type === 'text') return esc(n.text)
  if (n.component) return component(n, ctx)
  const a = n.attrs
  const inner = () => toHtml(n.children, ctx)
  switch (n.tag) {
    case 'view':
    case 'scroll-view':
    case 'picker': {
      const attrs = common(a, n.tag)
      if (n.tag === 'scroll-view') {
        const style = `${bool(a['scroll-x']) ? 'overflow-x:auto;' : ''}${bool(a['scroll-y']) ? 'overflow-y:auto;' : ''}`
        if (style) attrs.style = `${style}${attrs.style ?? ''}`
      }
      return `${open('div', attrs)}${inner()}</div>`
    }
    case 'text': {
      const attrs = common(a, 'text')
      const lines = Number(a['number-of-lines'])
      if (lines > 0) attrs.style = `display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:${lines};overflow:hidden;${attrs.style ?? ''}`
      return `${open('span', attrs)}${inner()}</span>`
    }
    case 'button': {
      const attrs = { ...common(a, 'button'), type: 'button', 'data-type': str(a.type), 'data-size': str(a.size), disabled: bool(a.disabled) ? '' : undefined }
      const spinner = bool(a.loading) ? '<span data-dd="loading" aria-hidden="true"></span>' : ''
      return `${open('button', attrs)}${spinner}${inner()}</button>`
    }
    case 'input': {
      // the keyboard a `type` (number, digit, idcard) asks for does not change what is drawn
      const type = bool(a.password) ? 'password' : 'text'
      const attrs = {
        ...common(a, 'input'),
        type,
        value: str(a.value) ?? '',
        placeholder: str(a.placeholder),
        disabled: bool(a.disabled) ? '' : undefined,
        maxlength: str(a.maxlength),
      }
      return open('input', attrs)
    }
    case 'textarea': {
      const value = str(a.value) ?? ''
      const max = Number(a.maxlength ?? 140)
      const count =
        a['show-count'] === undefined || bool(a['show-count']) ? `<span data-dd="textarea-count">${value.length}${max > 0 ? `/${max}` : ''}</span>` : ''
      const inner = open('textarea', {
        placeholder: str(a.placeholder),
        disabled: bool(a.disabled) ? '' : undefined,
        maxlength: max > 0 ? String(max) : undefined,
      })
      return `${open('div', common(a, 'textarea'))}${inner}${esc(value)}</textarea>${count}</div>`
    }
    case 'image': {
      const mode = str(a.mode) ?? 'scaleToFill'
      const attrs: Record<string, string | undefined> = { ...common(a, 'image'), src: str(a.src), alt: '' }
      const fit = `object-fit:${FIT[mode] ?? 'none'};${mode === 'widthFix' ? 'height:auto;' : ''}`
      attrs.style = `${fit}${attrs.style ?? ''}`
      return open('img', attrs)
    }
    default:
      ctx.unknown.add(n.tag)
      return `${open('span', { 'data-dd-unknown': n.tag })}${inner()}</span>`
  }
}

/** A custom component: its own element, with a declarative shadow tree holding its template and styles. */
function component(n: VElement, ctx: HtmlContext): string {
  const { file, nodes, styleIsolation } = n.component!
  const valid = /^[a-z][a-z0-9]*-[a-z0-9-]*$/.test(n.tag)
  const tag = valid ? n.tag : 'span'
  const attrs: Record<string, string | undefined> = { 'data-dd-host': n.tag, id: str(n.attrs.id), class: str(n.attrs.class), style: str(n.attrs.style) }
  for (const [k, v] of Object.entries(n.attrs)) if (k.startsWith('data-')) attrs[k] = str(v)
  const css = ctx.componentCss(file, styleIsolation)
  return `${open(tag, attrs)}<template shadowrootmode="open"><style>${css}</style>${toHtml(nodes, ctx)}</template></${tag}>`
}
