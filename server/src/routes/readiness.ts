import type { FastifyInstance } from 'fastify'
import type { Readiness } from '../readiness'

/**
 * `GET /api/ready` (register with prefix '/api'): 200 `{ status: "ready", checks }` while the database and the
 * photo store answer, else 503 `{ status: "not_ready", checks }` with the check that failed ("unreachable").
 * For load balancers and orchestrators; not part of the app's contract. Liveness stays `GET /api/health`.
 */
export function readinessRoutes(readiness: Readiness) {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/ready', async (_request, reply) => {
      const report = await readiness.check()
      return reply
        .code(report.ready ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks })
    })
  }
}
