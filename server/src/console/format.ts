import { parsePhoneNumberFromString } from 'libphonenumber-js/min'
import { html, type SafeHtml } from './html'

/** "2025-03-03 02:00 UTC" in a <time> element. */
export function when(iso: string | null): SafeHtml {
  if (!iso) return html`<span class="muted">—</span>`
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return html`${iso}`
  const text = `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`
  return html`<time datetime="${iso}">${text}</time>`
}

export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
}
