/**
 * The app's native components' templates (src/native) rendered for the MiniVm, by the AXML interpreter of
 * the renderer (render/axml.ts): their elements as nodes the VM reads (`text()`, `byId()`) and taps, with
 * their `data-*` dataset and `on<Event>` handlers. A template the interpreter cannot render (a template or
 * expression error) is an error, so that a component that outgrows it fails its test instead of rendering
 * wrongly.
 */
import { AxmlProgram, type VNode } from './render/axml'

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

const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

/** A component's template file (project-relative, with its extension) rendered against `scope`. */
export function renderAxml(program: AxmlProgram, file: string, scope: Dict, instance: unknown): RenderedNode[] {
  const before = program.problems.length
  const nodes = program.render(file, scope, {})
  const problems = program.problems.slice(before)
  if (problems.length) throw new Error(`axml: ${problems.map((p) => p.message).join('; ')}`)
  const convert = (list: VNode[]): RenderedNode[] =>
    list.map((node) => {
      if (node.type === 'text') return { v: node.text }
      const element: RenderedNode = { nn: node.tag, cn: convert(node.children), dataset: {}, handlers: {}, instance }
      for (const [name, value] of Object.entries(node.attrs)) {
        if (name.startsWith('data-')) element.dataset![camel(name.slice(5))] = value
        else if (/^on[A-Z]/.test(name)) element.handlers![name.slice(2).toLowerCase()] = String(value)
        else if (name === 'class') element.cl = String(value ?? '')
        else element[name] = value
      }
      return element
    })
  return convert(nodes)
}
