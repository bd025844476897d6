/**
 * An AXML interpreter: the template language of the Alipay-family mini-programs (DingTalk included), for
 * what Taro's generated templates and the app's native components (src/native) use. It evaluates a file of
 * dist/dd against data and gives a tree of elements with their attribute values, which `html.ts` draws.
 *
 * Followed from Alipay's documentation (help.aliyun.com/document_detail/…, the mini-program framework):
 * - data binding (117260): `{{expression}}` in text, attributes and control attributes; an attribute that is
 *   only `{{…}}` keeps the value's type, mixed with text it is a string; `{{a: b}}` / `{{...o}}` build an
 *   object (template `data`);
 * - list rendering: `a:for` with `a:for-item` (default `item`) and `a:for-index` (default `index`); `a:key`
 *   only identifies items between renders, so it draws nothing;
 * - conditional rendering: `a:if` / `a:elif` / `a:else` on consecutive sibling elements; `<block>` renders
 *   only its children;
 * - templates and references (117266): `<template name>` defines, `<template is data>` uses (the template
 *   sees only `data`); `<import src>` makes the templates *defined* in that file usable in this one (not the
 *   ones it imports in turn); `<include src>` copies that file's content except its templates; paths are
 *   relative, or absolute from the project root;
 * - SJS (117267): `<import-sjs name from>`; a module's exports are visible by `name` in that AXML file only
 *   (in its own templates too); `name="{a, b: c}"` imports named exports.
 *
 * Not documented there, and assumed (each marked ASSUMED below): whitespace-only text between tags is not
 * rendered; an expression that reads a name missing from the data gives `undefined` (no error), and no
 * JavaScript globals are visible to expressions; when an element has both `a:for` and `a:if`, the list is
 * expanded first and the condition is evaluated per item (WeChat documents this order for `wx:for`/`wx:if`);
 * an attribute written without a value is the empty string.
 */
import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { parseDocument } from 'htmlparser2'

type Dict = Record<string, unknown>

/** A node of a parsed AXML file. */
export type AxmlNode = { tag: string; attrs: Record<string, string>; children: AxmlNode[] } | { text: string }

export interface VElement {
  type: 'element'
  tag: string
  /** Attribute values after binding (types kept for `{{…}}` alone); event handlers keep their raw names. */
  attrs: Dict
  children: VNode[]
  /** For a custom component: its file and its own rendered template (drawn in its own shadow tree). */
  component?: { file: string; nodes: VNode[]; styleIsolation: string }
}
export interface VText {
  type: 'text'
  text: string
}
export type VNode = VElement | VText

export interface RenderProblem {
  kind: 'unresolved-template' | 'expression' | 'sjs' | 'unsupported' | 'missing-file'
  message: string
  /** The AXML file (relative to the project root) whose evaluation met the problem. */
  file: string
}

interface TemplateDef {
  name: string
  body: AxmlNode[]
  file: string
}

interface AxmlFile {
  /** Project-relative path, with its extension. */
  file: string
  nodes: AxmlNode[]
  /** Templates defined in this file, by name. */
  templates: Map<string, TemplateDef>
  /** Files this one imports (their own templates are usable here). */
  imports: string[]
  /** SJS modules bound in this file: name → exports. */
  sjs: Dict
}

/** Parses AXML text (an XML-like syntax: case kept, self-closing tags allowed). */
export function parseAxml(source: string): AxmlNode[] {
  const doc = parseDocument(source, { xmlMode: true, decodeEntities: true, recognizeSelfClosing: true })
  type DomNode = { type: string; name?: string; attribs?: Record<string, string>; children?: DomNode[]; data?: string }
  const convert = (nodes: DomNode[]): AxmlNode[] => {
    const out: AxmlNode[] = []
    for (const node of nodes) {
      if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
        out.push({ tag: node.name ?? '', attrs: { ...(node.attribs ?? {}) }, children: convert(node.children ?? []) })
      } else if (node.type === 'text') {
        // ASSUMED: whitespace-only text between tags (the templates' indentation) is not rendered
        if ((node.data ?? '').trim()) out.push({ text: node.data ?? '' })
      }
      // comments, directives: nothing
    }
    return out
  }
  return convert(doc.children as unknown as DomNode[])
}

const compiled = new Map<string, (scope: Dict) => unknown>()

/**
 * Evaluates an expression of `{{…}}` in a scope. ASSUMED: a name missing from the scope is `undefined`, and
 * no JavaScript global (Math, JSON, …) is visible: the documentation lists operators, literals, data paths.
 */
export function evaluate(expression: string, scope: Dict): unknown {
  let fn = compiled.get(expression)
  if (!fn) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    fn = new Function('scope', `with (scope) { return (${expression}\n) }`) as (s: Dict) => unknown
    compiled.set(expression, fn)
  }
  const proxy = new Proxy(scope, {
    has: (_target, key) => typeof key === 'string',
    get: (target, key) => (key === Symbol.unscopables ? undefined : (target as Dict)[key as string]),
  })
  return fn(proxy)
}

/** An attribute or text that is one `{{…}}` and nothing else (no other mustache inside). */
const ONLY = /^\s*\{\{((?:(?!\{\{|\}\})[\s\S])*)\}\}\s*$/

/** Loads the AXML files of a mini-program (dist/dd) and renders them. */
export class AxmlProgram {
  private readonly files = new Map<string, AxmlFile>()
  readonly problems: RenderProblem[] = []

  constructor(readonly root: string) {}

  private problem(kind: RenderProblem['kind'], message: string, file: string) {
    if (!this.problems.some((p) => p.kind === kind && p.message === message && p.file === file)) this.problems.push({ kind, message, file })
  }

  /** `src` of an import/include/import-sjs, relative to `from` (or absolute from the project root). */
  private resolve(from: string, src: string, ext: string): string {
    const withExt = path.extname(src) ? src : `${src}${ext}`
    const rel = withExt.startsWith('/') ? withExt.slice(1) : path.join(path.dirname(from), withExt)
    return path.normalize(rel)
  }

  /** A parsed file, with its templates, imports and SJS modules (cached). */
  load(file: string): AxmlFile | null {
    const cached = this.files.get(file)
    if (cached) return cached
    const full = path.join(this.root, file)
    if (!fs.existsSync(full)) return null
    const nodes = parseAxml(fs.readFileSync(full, 'utf8'))
    const loaded: AxmlFile = { file, nodes, templates: new Map(), imports: [], sjs: {} }
    this.files.set(file, loaded)
    const walk = (list: AxmlNode[]) => {
      for (const node of list) {
        if ('text' in node) continue
        if (node.tag === 'template' && node.attrs.name !== undefined) {
          loaded.templates.set(node.attrs.name, { name: node.attrs.name, body: node.children, file })
          continue
        }
        if (node.tag === 'import') loaded.imports.push(this.resolve(file, node.attrs.src ?? '', '.axml'))
        else if (node.tag === 'import-sjs') this.bindSjs(loaded, node.attrs)
        else walk(node.children)
      }
    }
    walk(nodes)
    return loaded
  }

  private bindSjs(file: AxmlFile, attrs: Record<string, string>) {
    const from = attrs.from ?? attrs.src
    const name = attrs.name
    if (!from || !name) return this.problem('sjs', `<import-sjs> needs name and from (${JSON.stringify(attrs)})`, file.file)
    const target = this.resolve(file.file, from, '.sjs')
    let exports: Dict
    try {
      exports = this.sjsModule(target)
    } catch (e) {
      return this.problem('sjs', `${target}: ${(e as Error).message}`, file.file)
    }
    const named = /^\{([\s\S]*)\}$/.exec(name.trim())
    if (!named) {
      file.sjs[name] = exports.default
      return
    }
    for (const part of named[1]
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [exported, local = exported] = part.split(':').map((p) => p.trim())
      file.sjs[local] = exports[exported]
    }
  }

  private readonly sjsCache = new Map<string, Dict>()

  /**
   * An SJS module's exports. SJS is a subset of JavaScript with ES module syntax; it runs isolated from the
   * app and the host APIs, so it is evaluated in a context of its own. `export default`, `export const|function`
   * and `import x from './y.sjs'` are supported; anything else is left to the JavaScript parser to refuse.
   */
  private sjsModule(file: string): Dict {
    const cached = this.sjsCache.get(file)
    if (cached) return cached
    const full = path.join(this.root, file)
    if (!fs.existsSync(full)) throw new Error('file not found')
    const exports: Dict = {}
    this.sjsCache.set(file, exports)
    const names: string[] = []
    let code = fs.readFileSync(full, 'utf8')
    const imports: Array<[string, string]> = []
    code = code.replace(/^\s*import\s+(\w+)\s+from\s+['"]([^'"]+)['"];?/gm, (_, local: string, src: string) => {
      imports.push([local, this.resolve(file, src, '.sjs')])
      return ''
    })
    code = code.replace(/\bexport\s+default\s+/, '__exports.default = ')
    code = code.replace(/\bexport\s+(const|let|var|function)\s+(\w+)/g, (_, kind: string, id: string) => {
      names.push(id)
      return `${kind} ${id}`
    })
    const context = vm.createContext({ __exports: exports })
    for (const [local, src] of imports) (context as Dict)[local] = this.sjsModule(src).default
    vm.runInContext(`${code}\n;${names.map((n) => `__exports.${n} = ${n};`).join('')}`, context, { filename: full })
    return exports
  }

  /** A template usable from `file`: its own, or one defined in a file it imports (not transitively). */
  private template(file: AxmlFile, name: string): TemplateDef | undefined {
    const own = file.templates.get(name)
    if (own) return own
    for (const imported of file.imports) {
      const def = this.load(imported)?.templates.get(name)
      if (def) return def
    }
    return undefined
  }

  private interpolate(raw: string, scope: Dict, file: string): unknown {
    const only = ONLY.exec(raw)
    if (only) return this.expression(only[1], scope, file)
    if (!raw.includes('{{')) return raw
    return raw.replace(/\{\{([\s\S]*?)\}\}/g, (_, e: string) => {
      const v = this.expression(e, scope, file)
      return v === undefined || v === null ? '' : String(v)
    })
  }

  private expression(expression: string, scope: Dict, file: string): unknown {
    try {
      return evaluate(expression, scope)
    } catch (e) {
      this.problem('expression', `{{${expression.trim()}}}: ${(e as Error).message}`, file)
      return undefined
    }
  }

  /**
   * Renders a file's top-level content (its templates are definitions, not content) against `data`.
   * `component(tag)` says whether a tag is a custom component of the page or component being rendered, and
   * renders it; `slots` are the children given to a component, for its `<slot>`.
   */
  render(file: string, data: Dict, hooks: RenderHooks): VNode[] {
    const loaded = this.load(file)
    if (!loaded) {
      this.problem('missing-file', `${file} not found`, file)
      return []
    }
    return this.renderList(loaded.nodes, this.scopeOf(loaded, data), loaded, hooks)
  }

  private scopeOf(file: AxmlFile, data: Dict): Dict {
    return Object.assign(Object.create(null) as Dict, file.sjs, data)
  }

  private renderList(nodes: AxmlNode[], scope: Dict, file: AxmlFile, hooks: RenderHooks): VNode[] {
    const out: VNode[] = []
    // the a:if / a:elif / a:else chain of consecutive sibling elements: whether a branch was taken
    let chain: { taken: boolean } | null = null
    for (const node of nodes) {
      if ('text' in node) {
        chain = null
        const v = this.interpolate(node.text, scope, file.file)
        const text = v === undefined || v === null ? '' : String(v)
        if (text) out.push({ type: 'text', text })
        continue
      }
      const { attrs } = node
      if (node.tag === 'template' && attrs.name !== undefined) continue
      if (node.tag === 'import' || node.tag === 'import-sjs') continue
      let condition: string | undefined
      let isElse = false
      if ('a:if' in attrs) {
        chain = { taken: false }
        condition = attrs['a:if']
      } else if ('a:elif' in attrs || 'a:else' in attrs) {
        isElse = !('a:elif' in attrs)
        if (!chain) {
          this.problem('unsupported', `<${node.tag} ${isElse ? 'a:else' : 'a:elif'}> without an a:if before it`, file.file)
          continue
        }
        if (chain.taken) {
          if (isElse) chain = null
          continue
        }
        condition = isElse ? undefined : attrs['a:elif']
      } else {
        chain = null
      }
      const passes = (s: Dict) => condition === undefined || Boolean(this.interpolate(condition, s, file.file))
      let rendered = false
      if ('a:for' in attrs) {
        const list = this.interpolate(attrs['a:for'], scope, file.file)
        const itemName = attrs['a:for-item'] || 'item'
        const indexName = attrs['a:for-index'] || 'index'
        const entries: Array<[unknown, unknown]> = Array.isArray(list)
          ? list.map((v, i) => [v, i])
          : list && typeof list === 'object'
            ? Object.entries(list as Dict).map(([k, v]) => [v, k])
            : []
        if (list !== undefined && list !== null && typeof list !== 'object')
          this.problem('unsupported', `a:for over ${typeof list} (${attrs['a:for']})`, file.file)
        for (const [item, index] of entries) {
          // ASSUMED: with a:if on the same element, the condition is evaluated per item
          const itemScope = Object.assign(Object.create(scope) as Dict, { [itemName]: item, [indexName]: index })
          if (!passes(itemScope)) continue
          out.push(...this.renderElement(node, itemScope, file, hooks))
          rendered = true
        }
      } else if (passes(scope)) {
        out.push(...this.renderElement(node, scope, file, hooks))
        rendered = true
      }
      if (chain && rendered) chain.taken = true
      if (isElse) chain = null
    }
    return out
  }

  private renderElement(node: { tag: string; attrs: Record<string, string>; children: AxmlNode[] }, scope: Dict, file: AxmlFile, hooks: RenderHooks): VNode[] {
    const { tag, attrs } = node
    if (tag === 'block') return this.renderList(node.children, scope, file, hooks)
    if (tag === 'template') return this.callTemplate(attrs, scope, file, hooks)
    if (tag === 'include') {
      const target = this.load(this.resolve(file.file, attrs.src ?? '', '.axml'))
      if (!target) {
        this.problem('missing-file', `<include src="${attrs.src}">: not found`, file.file)
        return []
      }
      return this.renderList(target.nodes, Object.assign(Object.create(scope) as Dict, target.sjs), target, hooks)
    }
    if (tag === 'slot') return hooks.slot?.(String(attrs.name ?? '')) ?? []
    const values: Dict = {}
    for (const [name, raw] of Object.entries(attrs)) {
      if (name.startsWith('a:')) continue
      // event handlers name a method: kept as written
      values[name] = /^(on|catch)[A-Z]/.test(name) ? raw : this.interpolate(raw, scope, file.file)
    }
    const children = this.renderList(node.children, scope, file, hooks)
    const element: VElement = { type: 'element', tag, attrs: values, children }
    const component = hooks.component?.(tag, values, children)
    if (component) element.component = component
    return [element]
  }

  private callTemplate(attrs: Record<string, string>, scope: Dict, file: AxmlFile, hooks: RenderHooks): VNode[] {
    const name = this.interpolate(attrs.is ?? '', scope, file.file)
    const def = typeof name === 'string' ? this.template(file, name) : undefined
    if (!def) {
      this.problem(
        'unresolved-template',
        `<template is="${attrs.is}"> → "${String(name)}": no such template in ${file.file} or the files it imports`,
        file.file,
      )
      return []
    }
    let data: Dict = {}
    if (attrs.data !== undefined) {
      const only = ONLY.exec(attrs.data)
      if (!only) this.problem('unsupported', `template data must be {{…}}: ${attrs.data}`, file.file)
      else {
        const value = this.expression(`{${only[1]}}`, scope, file.file)
        if (value && typeof value === 'object') data = value as Dict
      }
    }
    const defining = this.load(def.file)!
    return this.renderList(def.body, this.scopeOf(defining, data), defining, hooks)
  }
}

export interface RenderHooks {
  /** Called for every element: a custom component of the file being rendered returns its rendering. */
  component?: (tag: string, attrs: Dict, children: VNode[]) => VElement['component'] | undefined
  /** The children given to the component being rendered, for its `<slot name>` ('' for the default). */
  slot?: (name: string) => VNode[]
}
