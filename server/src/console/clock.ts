import type { FastifyInstance } from 'fastify'
import { isAdjustable, type AdjustableClock } from '../clock'
import type { AppContext } from '../context'
import type { IsoRow } from '../repo/isos'
import { asOfIn, wallClockText } from '../timezone'
import { html } from './html'
import { layout, when } from './render'
import { field, sendPage } from './respond'

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

export function renderClockPage(model: { now: Date; offsetMs: number; isos: IsoRow[]; notice: string | null }): string {
  return layout(
    'Server clock · ISO platform console',
    html`${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
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
    <form method="post" action="/console/clock/advance">
      <button type="submit">Advance one day</button>
    </form>
    <form method="post" action="/console/clock/reset">
      <button type="submit" class="secondary">Reset clock</button>
    </form>
  </div>
</section>`,
  )
}

/**
 * `/console/clock` (development mode with an adjustable clock only; otherwise the routes do not exist and
 * the console answers 404): shows the server's time and the statistics' as-of date of each ISO, and moves
 * the clock by one day or back.
 */
export function clockRoutes(ctx: AppContext) {
  return async function (app: FastifyInstance): Promise<void> {
    if (!ctx.dev || !isAdjustable(ctx.clock)) return
    const clock: AdjustableClock = ctx.clock

    app.get('/clock', async (request, reply) => {
      const done = field(request.query, 'done')
      const notice = done === 'advanced' ? 'Moved the clock forward by one day.' : done === 'reset' ? 'The clock is back where it started.' : null
      return sendPage(reply, 200, renderClockPage({ now: clock.now(), offsetMs: clock.offsetMs(), isos: await ctx.repos.isos.list(), notice }))
    })

    app.post('/clock/advance', async (_request, reply) => {
      // Signed-in browsers stay signed in: the sessions valid now last one day longer too.
      await ctx.repos.sessions.extendValid(DAY_MS / 1000, clock.now().toISOString())
      await ctx.repos.consoleSessions.shiftValid(DAY_MS / 1000, clock.now().toISOString())
      clock.advance({ days: 1 })
      return reply.redirect('/console/clock?done=advanced', 303)
    })

    app.post('/clock/reset', async (_request, reply) => {
      clock.reset()
      return reply.redirect('/console/clock?done=reset', 303)
    })
  }
}
