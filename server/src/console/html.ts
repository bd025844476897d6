/** Markup that is already safe to print (built by `html` or deliberately trusted with `raw`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML content and (double- or single-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c])
}

export type Interpolation = SafeHtml | string | number | null | undefined | false | readonly Interpolation[]

function print(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return value.map(print).join('')
  return escapeHtml(String(value))
}

/** Template tag: every interpolated value is escaped unless it is SafeHtml (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]
  values.forEach((value, i) => {
    out += print(value) + strings[i + 1]
  })
  return new SafeHtml(out)
}

/** Trusts a constant string as markup. Never pass user data. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup)
}
