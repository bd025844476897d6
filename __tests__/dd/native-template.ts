/**
 * Enough of the DingTalk template language (axml) to render the app's native components in the MiniVm:
 * elements and text, `{{expression}}` in text and attributes, `a:if`, `a:for` (with `a:for-item`,
 * `a:for-index`), `data-*` datasets and `on<Event>` handlers. Anything else in a template is an error, so
 * a component that outgrows this renderer fails its test instead of rendering wrongly.
 */
export type AxmlNode = { tag: string; attrs: Record<string, string>; children: AxmlNode[] } | { text: string }

type Dict = Record<string, unknown>

export interface RenderedNode {
  nn?: string
  id?: string
  cl?: string
  v?: string
  cn?: RenderedNode[]
  dataset?: Dict
  /** Event name (`tap`) → the component method that handles it. */
  handlers?: Record<string, string>
  /** The component instance whose template rendered this element. */
  instance?: unknown
  [attr: string]: unknown
}

const KNOWN_TAGS = new Set(['view', 'text', 'block'])

export function parseAxml(source: string): AxmlNode[] {
  const root: AxmlNode[] = []
  const stack: Array<{ tag: string; children: AxmlNode[] }> = [{ tag: '', children: root }]
  const token = /<!--[\s\S]*?-->|<\/([\w-]+)\s*>|<([\w-]+)((?:\s+[\w:.-]+(?:="[^"]*")?)*)\s*(\/?)>|([^<]+)/g
  let match: RegExpExecArray | null
  let consumed = 0
  while ((match = token.exec(source))) {
    if (match.index !== consumed) throw new Error(`axml: cannot read "${source.slice(consumed, consumed + 40)}"`)
    consumed = token.lastIndex
    const [whole, closing, opening, attrText, selfClosing, text] = match
    const top = stack[stack.length - 1]
    if (whole.startsWith('<!--')) continue
    if (closing) {
      if (top.tag !== closing) throw new Error(`axml: </${closing}> closes <${top.tag}>`)
      stack.pop()
    } else if (opening) {
      if (!KNOWN_TAGS.has(opening)) throw new Error(`axml: the test renderer does not know <${opening}>`)
      const attrs: Record<string, string> = {}
      for (const a of attrText.matchAll(/([\w:.-]+)(?:="([^"]*)")?/g)) attrs[a[1]] = a[2] ?? ''
      const node = { tag: opening, attrs, children: [] as AxmlNode[] }
      top.children.push(node)
      if (!selfClosing) stack.push(node)
    } else if (text !== undefined && text.trim()) {
      top.children.push({ text })
    }
  }
  if (consumed !== source.length) throw new Error(`axml: cannot read "${source.slice(consumed, consumed + 40)}"`)
  if (stack.length !== 1) throw new Error(`axml: <${stack[stack.length - 1].tag}> is not closed`)
  return root
}

function evaluate(expression: string, scope: Dict): unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function('scope', `with (scope) { return (${expression}) }`) as (s: Dict) => unknown
  return fn(scope)
}

/** `{{a}}` alone keeps its value's type; mixed with text it becomes a string. */
function interpolate(value: string, scope: Dict): unknown {
  const only = /^\{\{([\s\S]+?)\}\}$/.exec(value.trim())
  if (only) return evaluate(only[1], scope)
  return value.replace(/\{\{([\s\S]+?)\}\}/g, (_, e: string) => {
    const v = evaluate(e, scope)
    return v === undefined || v === null ? '' : String(v)
  })
}

const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

export function renderAxml(nodes: AxmlNode[], scope: Dict, instance: unknown): RenderedNode[] {
  const out: RenderedNode[] = []
  for (const node of nodes) {
    if ('text' in node) {
      const v = interpolate(node.text, scope)
      const text = v === undefined || v === null ? '' : String(v)
      if (text.trim()) out.push({ v: text })
      continue
    }
    const { 'a:for': forExpr, 'a:for-item': itemName = 'item', 'a:for-index': indexName = 'index', 'a:key': _key, 'a:if': ifExpr, ...attrs } = node.attrs
    void _key
    const one = (s: Dict) => {
      if (ifExpr !== undefined && !interpolate(ifExpr, s)) return
      const children = renderAxml(node.children, s, instance)
      if (node.tag === 'block') {
        out.push(...children)
        return
      }
      const element: RenderedNode = { nn: node.tag, cn: children, dataset: {}, handlers: {}, instance }
      for (const [name, raw] of Object.entries(attrs)) {
        const value = interpolate(raw, s)
        if (name.startsWith('data-')) element.dataset![camel(name.slice(5))] = value
        else if (/^on[A-Z]/.test(name)) element.handlers![name.slice(2).toLowerCase()] = raw
        else if (name === 'class') element.cl = String(value ?? '')
        else if (name.includes(':')) throw new Error(`axml: the test renderer does not know ${name}`)
        else element[name] = value
      }
      out.push(element)
    }
    if (forExpr === undefined) one(scope)
    else {
      const list = interpolate(forExpr, scope)
      if (!Array.isArray(list)) continue
      list.forEach((item, index) => one({ ...scope, [itemName]: item, [indexName]: index }))
    }
  }
  return out
}
