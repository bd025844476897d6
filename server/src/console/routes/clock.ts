import type { FastifyInstance } from 'fastify'
import { isAdjustable, type AdjustableClock } from '../../clock'
import type { AppContext } from '../../context'
import { renderClockPage } from '../render-clock'
import { viewerOf } from '../guard'
import { field, sendPage } from '../respond'

const DAY_MS = 86_400_000

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
      return sendPage(
        reply,
        200,
        renderClockPage(viewerOf(request), { now: clock.now(), offsetMs: clock.offsetMs(), isos: await ctx.repos.isos.list(), notice }),
      )
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
