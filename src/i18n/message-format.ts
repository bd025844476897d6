/**
 * The part of ICU MessageFormat the catalogs use: `{name}` arguments and `{count, plural, =0 {…} one {…}
 * other {…}}` with `#` for the number (and arguments nested in the forms). Small on purpose: the mini-program
 * carries it in its main package (a full MessageFormat library weighs more than the whole core catalog). No
 * quoting with apostrophes: a message never needs a literal brace.
 */
import type { PluralCategory } from './plural'

export type Params = Record<string, string | number>

/** Reads the `{ … }` block that starts at `open`; answers its content and where it ends. */
function block(message: string, open: number): { body: string; end: number } | null {
  let depth = 0
  for (let i = open; i < message.length; i++) {
    if (message[i] === '{') depth++
    else if (message[i] === '}' && --depth === 0) return { body: message.slice(open + 1, i), end: i + 1 }
  }
  return null
}

/** The forms of a plural argument: `=1 {…} one {…} other {…}`. */
function forms(text: string): Map<string, string> {
  const out = new Map<string, string>()
  let i = 0
  while (i < text.length) {
    const m = /^\s*(=\d+|[a-z]+)\s*/.exec(text.slice(i))
    if (!m) break
    const b = block(text, i + m[0].length)
    if (!b) break
    out.set(m[1], b.body)
    i = b.end
  }
  return out
}

/** The message with its arguments filled; an argument without a value stays visible (`{name}`). */
export function formatMessage(message: string, params: Params | undefined, plural: (n: number) => PluralCategory): string {
  let out = ''
  let i = 0
  while (i < message.length) {
    const open = message.indexOf('{', i)
    if (open < 0) break
    const b = block(message, open)
    if (!b) break
    out += message.slice(i, open)
    const [name, type, ...rest] = b.body.split(',')
    const key = name.trim()
    const value = params?.[key]
    if (type?.trim() === 'plural' && typeof value === 'number') {
      const options = forms(rest.join(','))
      const form = options.get(`=${value}`) ?? options.get(plural(value)) ?? options.get('other') ?? ''
      out += formatMessage(form.replace(/#/g, String(value)), params, plural)
    } else if (type === undefined && value !== undefined) {
      out += String(value)
      // a name that ends a sentence with its own full stop ("… Pte. Ltd.") takes the message's place: one stop
      if (out.endsWith('.') && message[b.end] === '.') i = b.end + 1
      else i = b.end
      continue
    } else {
      out += message.slice(open, b.end)
    }
    i = b.end
  }
  return out + message.slice(i)
}

/** The names of a message's arguments, sorted (a translation must use the same ones). */
export function argumentsOf(message: string): string[] {
  const names = new Set<string>()
  const pattern = /\{\s*(\w+)\s*(?:,\s*plural\s*,|\})/g
  for (let m = pattern.exec(message); m !== null; m = pattern.exec(message)) names.add(m[1])
  return [...names].sort()
}

/** The plural arguments of a message with the forms each one offers (`one`, `other`, `=0`…). */
export function pluralForms(message: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  let i = 0
  while ((i = message.indexOf('{', i)) >= 0) {
    const b = block(message, i)
    if (!b) break
    const [name, type, ...rest] = b.body.split(',')
    if (type?.trim() === 'plural') out.set(name.trim(), [...forms(rest.join(',')).keys()])
    i = type?.trim() === 'plural' ? b.end : i + 1
  }
  return out
}
