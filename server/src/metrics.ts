/**
 * Prometheus metrics (prom-client), served by a listener of their own (METRICS_PORT, on METRICS_HOST: loopback
 * unless told otherwise), never by the public port. Off unless METRICS_PORT is set. Families (README, "Health,
 * readiness and metrics", says what to alert on):
 *
 * - posm_http_request_duration_seconds{method,route,status_code}: latency by route pattern (`/api/promotions/:id`,
 *   never the raw URL; `not_found` for a path no route has)
 * - posm_http_errors_total{method,route,status_code}: answers of 400 and above
 * - posm_queue_depth{queue}, posm_queue_oldest_age_seconds{queue}, posm_queue_needs_attention{queue}: the work
 *   notifications' and the Org invitations' durable queues (waiting to be sent; the oldest of those; given up or
 *   waiting for a person), read from the database at each scrape
 * - posm_dingtalk_calls_total{call,outcome}, posm_alipay_plus_calls_total{call,outcome}: outbound calls by API and
 *   outcome (`ok` or the failure's kind), counted once per call after its retries
 * - posm_rate_limit_refusals_total{limit}: 429 answers by limit (sign_in, uploads, submissions, console_sign_in)
 * - posm_db_pool_{max,total,idle,waiting}{engine}: the database connections (PostgreSQL's pool; SQLite's one
 *   connection, busy while a write transaction holds it, with the work queued behind it)
 * - posm_dependency_up{dependency}: the readiness checks (database, photo_store), 1 or 0
 * - the process's own (posm_process_cpu_seconds_total, posm_nodejs_eventloop_lag_seconds, memory, …), when the
 *   listener runs
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Clock } from './clock'
import type { Db } from './db'
import { CHECK_TIMEOUT_MS, within, type Readiness } from './readiness'
import { limitedKind } from './routes/rate-limits'

/** The durable queues, as labelled. */
export const QUEUES = {
  work_notifications: { table: 'notifications', waiting: ['PENDING', 'SENDING'], attention: ['FAILED'] },
  org_invitations: { table: 'org_invitations', waiting: ['PENDING', 'SENDING'], attention: ['ATTENTION'] },
} as const

type QueueName = keyof typeof QUEUES

interface QueueStats {
  depth: number
  oldestAgeSeconds: number
  attention: number
}

/** Outcome label of an outbound call: `ok`, or what went wrong (`unavailable`, `rate-limited`, `refused`, …). */
export type CallOutcome = string

export interface MetricsDeps {
  db: Db
  clock: Clock
  readiness: Readiness
}

/** Seconds; from 5 ms (a cached read) to 10 s (an export page, a slow bucket). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

const LIMIT_LABELS = { signInPerMinute: 'sign_in', uploadsPerMinute: 'uploads', submissionsPerMinute: 'submissions' } as const

/** Which limit refused a 429 answer. */
function refusedLimit(request: FastifyRequest): string {
  const kind = limitedKind(request)
  if (kind) return LIMIT_LABELS[kind]
  return request.url.split('?')[0].startsWith('/console/sign-in') ? 'console_sign_in' : 'other'
}

/** Reuses one answer of `load` for every caller within `ms` (the gauges of one scrape share one query). */
function shared<T>(load: () => Promise<T>, ms: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null
  return () => {
    const now = Date.now()
    if (!last || now - last.at >= ms) {
      const value = load()
      last = { at: now, value }
      // a failure is not kept
      value.catch(() => {
        if (last?.value === value) last = null
      })
    }
    return last.value
  }
}

export function createMetrics({ db, clock, readiness }: MetricsDeps) {
  const registry = new Registry()

  const requestDuration = new Histogram({
    name: 'posm_http_request_duration_seconds',
    help: 'Time to answer a request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  })
  const errors = new Counter({
    name: 'posm_http_errors_total',
    help: 'Answers with a status of 400 or above, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  })
  const rateLimitRefusals = new Counter({
    name: 'posm_rate_limit_refusals_total',
    help: 'Requests refused with 429 by a rate limit or the console sign-in throttle, by limit.',
    labelNames: ['limit'] as const,
    registers: [registry],
  })
  const dingtalkCalls = new Counter({
    name: 'posm_dingtalk_calls_total',
    help: "Calls to DingTalk's server API by API and outcome (ok, or the failure's kind), once per call after its retries.",
    labelNames: ['call', 'outcome'] as const,
    registers: [registry],
  })
  const alipayPlusCalls = new Counter({
    name: 'posm_alipay_plus_calls_total',
    help: 'Calls to Alipay+ by API and outcome (ok, or the failure), once per call after its retries.',
    labelNames: ['call', 'outcome'] as const,
    registers: [registry],
  })

  // read before the collectors below start their queries: the pool as the requests use it, not the scrape
  const poolGauge = (name: string, help: string, pick: (stats: ReturnType<Db['poolStats']>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['engine'] as const,
      registers: [registry],
      collect() {
        this.set({ engine: db.engine }, pick(db.poolStats()))
      },
    })
  poolGauge('posm_db_pool_max', 'Database connections this process may open at most (SQLite: 1).', (s) => s.max)
  poolGauge('posm_db_pool_total', 'Database connections open.', (s) => s.total)
  poolGauge('posm_db_pool_idle', 'Database connections open and idle.', (s) => s.idle)
  poolGauge('posm_db_pool_waiting', 'Queries and transactions waiting for a database connection.', (s) => s.waiting)

  const queueStats = shared(async (): Promise<Record<QueueName, QueueStats>> => {
    const now = clock.now().getTime()
    const result = {} as Record<QueueName, QueueStats>
    for (const [name, queue] of Object.entries(QUEUES) as Array<[QueueName, (typeof QUEUES)[QueueName]]>) {
      const statuses = [...queue.waiting, ...queue.attention]
      const rows = await db.all<{ status: string; n: number; oldest: string | null }>(
        `SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM ${queue.table} WHERE status IN (${statuses.map(() => '?').join(', ')}) GROUP BY status`,
        statuses,
      )
      const waiting = rows.filter((r) => (queue.waiting as readonly string[]).includes(r.status))
      const oldest = waiting.map((r) => (r.oldest ? Date.parse(r.oldest) : NaN)).filter(Number.isFinite)
      result[name] = {
        depth: waiting.reduce((sum, r) => sum + Number(r.n), 0),
        oldestAgeSeconds: oldest.length ? Math.max(0, (now - Math.min(...oldest)) / 1000) : 0,
        attention: rows.filter((r) => (queue.attention as readonly string[]).includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0),
      }
    }
    return result
  }, 500)

  /** A gauge per queue, set from the shared query at each scrape; left empty when the database does not answer. */
  const queueGauge = (name: string, help: string, pick: (stats: QueueStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset()
        // a database that does not answer leaves these out (posm_dependency_up says why), never the whole scrape
        const stats = await within(queueStats(), CHECK_TIMEOUT_MS).catch(() => null)
        if (!stats) return
        for (const queue of Object.keys(QUEUES) as QueueName[]) this.set({ queue }, pick(stats[queue]))
      },
    })
  queueGauge('posm_queue_depth', 'Items waiting to be sent (pending or being sent), by queue.', (s) => s.depth)
  queueGauge('posm_queue_oldest_age_seconds', 'Age of the oldest item waiting to be sent (0 when none waits), by queue.', (s) => s.oldestAgeSeconds)
  queueGauge(
    'posm_queue_needs_attention',
    'Items no longer tried by themselves (work notifications given up, Org invitations waiting for a reviewer), by queue.',
    (s) => s.attention,
  )

  new Gauge({
    name: 'posm_dependency_up',
    help: 'Whether the readiness check of a dependency passes (1) or not (0): database, photo_store.',
    labelNames: ['dependency'] as const,
    registers: [registry],
    async collect() {
      const report = await readiness.check()
      this.set({ dependency: 'database' }, report.checks.database === 'ok' ? 1 : 0)
      this.set({ dependency: 'photo_store' }, report.checks.photos === 'ok' ? 1 : 0)
    },
  })

  let defaultsCollected = false

  return {
    registry,

    /** Times every answer of `app` (and counts errors and rate-limit refusals); call before registering routes. */
    observe(app: FastifyInstance): void {
      app.addHook('onResponse', async (request, reply) => {
        const route = request.routeOptions.url ?? 'not_found'
        const labels = { method: request.method, route, status_code: String(reply.statusCode) }
        requestDuration.observe(labels, reply.elapsedTime / 1000)
        if (reply.statusCode >= 400) errors.inc(labels)
        if (reply.statusCode === 429) rateLimitRefusals.inc({ limit: refusedLimit(request) })
      })
    },

    /** A DingTalk call ended (after its retries). */
    dingtalkCallEnded(call: string, outcome: CallOutcome): void {
      dingtalkCalls.inc({ call, outcome })
    },

    /** An Alipay+ call ended (after its retries): for the Alipay+ client, whenever it calls. */
    alipayPlusCallEnded(call: string, outcome: CallOutcome): void {
      alipayPlusCalls.inc({ call, outcome })
    },

    /** The exposition text (what GET /metrics answers). */
    text: () => registry.metrics(),

    /**
     * Serves GET /metrics on a listener of its own (the process's own metrics added); answers its address.
     * Close it with the returned close().
     */
    async listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
      if (!defaultsCollected) {
        collectDefaultMetrics({ register: registry, prefix: 'posm_' })
        defaultsCollected = true
      }
      const server = http.createServer((request, response) => {
        const path = (request.url ?? '').split('?')[0]
        if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: GET /metrics\n')
          return
        }
        registry.metrics().then(
          (text) =>
            response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(request.method === 'HEAD' ? undefined : text),
          () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected.\n'),
        )
      })
      server.keepAliveTimeout = 5_000
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error: Error) => reject(new Error(`The metrics cannot listen on ${host}:${port} (METRICS_HOST, METRICS_PORT): ${error.message}`)))
        server.listen(port, host, () => resolve())
      })
      const address = server.address() as AddressInfo
      const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address
      return {
        url: `http://${shownHost}:${address.port}/metrics`,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve())
            server.closeAllConnections()
          }),
      }
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
