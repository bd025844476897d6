import type { IsoRow } from '../repo/isos'
import { asOfIn, wallClockText } from '../timezone'
import { page, postForm, type Viewer } from './layout'
import { html } from './html'
import { when } from './render'

const DAY_MS = 86_400_000

function offsetText(ms: number): string {
  if (ms === 0) return 'none (the system time)'
  const sign = ms < 0 ? '−' : '+'
  const abs = Math.abs(ms)
  const days = Math.floor(abs / DAY_MS)
  const rest = abs - days * DAY_MS
  const hours = Math.floor(rest / 3_600_000)
  const minutes = Math.floor((rest % 3_600_000) / 60_000)
  return `${sign}${days} day${days === 1 ? '' : 's'}${hours || minutes ? ` ${hours} h ${minutes} min` : ''}`
}

export function renderClockPage(viewer: Viewer, model: { now: Date; offsetMs: number; isos: IsoRow[]; notice: string | null }): string {
  return page({
    title: 'Server clock · ISO platform console',
    viewer,
    body: html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
<section aria-labelledby="clock-heading">
  <h2 id="clock-heading">Server clock (development mode)</h2>
  <p class="muted">Every time-based rule of the server (business hours, sessions, the statistics' one-day delay) reads this clock.
  Moving it is for end-to-end tests; it is back to the system time when the server restarts. Advancing also
  extends the sessions valid now by a day, so that signed-in browsers stay signed in.</p>
  <dl>
    <dt>Server time</dt><dd data-clock-now="${model.now.toISOString()}">${when(model.now.toISOString())}</dd>
    <dt>Offset</dt><dd data-clock-offset="${model.offsetMs}">${offsetText(model.offsetMs)}</dd>
  </dl>
  <table>
    <caption class="sr-only">Statistics as-of date per ISO</caption>
    <thead><tr><th scope="col">ISO</th><th scope="col">Time zone</th><th scope="col">Local time</th><th scope="col">Figures as of the end of</th></tr></thead>
    <tbody>
    ${model.isos.map((iso) => {
      const { asOf } = asOfIn(model.now, iso.timezone)
      return html`<tr data-iso-id="${iso.id}" data-as-of="${asOf}">
      <td>${iso.name}</td>
      <td>${iso.timezone}</td>
      <td>${wallClockText(model.now, iso.timezone)}</td>
      <td>${asOf}</td>
    </tr>`
    })}
    </tbody>
  </table>
  <div class="decisions">
    ${postForm(
      viewer,
      '/console/clock/advance',
      html`
      <button type="submit">Advance one day</button>
    `,
    )}
    ${postForm(
      viewer,
      '/console/clock/reset',
      html`
      <button type="submit" class="secondary">Reset clock</button>
    `,
    )}
  </div>
</section>`,
  })
}
