/**
 * Prometheus metrics (server/src/metrics.ts; README, "Health, readiness and metrics"): after a short load on a
 * production-mode server talking to the fake DingTalk, a scrape of the metrics listener (its own port, loopback)
 * shows every family with the values the load made: latency by route pattern, error counts, the two queues' depths
 * and oldest ages, DingTalk call outcomes, the Alipay+ calls' family, rate-limit refusals and the database pool.
 * The public port does not serve them; METRICS_PORT and METRICS_HOST are checked at start.
 */
import { randomUUID } from 'node:crypto'
import net, { type AddressInfo } from 'node:net'
import { loadConfig } from '../../server/src/config'
import { createRepos } from '../../server/src/repo'
import { MAX_FAILURES_PER_USER } from '../../server/src/services/console-accounts'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { startWithDingTalk, type DingTalkTestServer } from './dingtalk-helpers'
import { testDatabaseIn, testEngine } from './engine'
import { consoleSignIn, tempDir } from './helpers'
import { startServerProcess, stopServerProcess } from './server-process'

jest.setTimeout(60_000)

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** The samples of an exposition text (`name{a="b",…} value`). */
function samples(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const [, key, value] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value
    out.push({ name: m[1], labels, value: Number(m[3]) })
  }
  return out
}

/** The value of the one sample of `name` whose labels include `labels` (undefined: none). */
function valueOf(all: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`)
  return found[0]?.value
}

describe('the metrics endpoint', () => {
  let fake: FakeDingTalk
  let server: DingTalkTestServer

  beforeAll(async () => {
    fake = await new FakeDingTalk().start()
    fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza', stateCode: '60', mobile: '123456789', deptIds: [1] })
    fake.addMember({ userid: 'u-budi', name: 'Budi Santoso', stateCode: '62', mobile: '81234567', deptIds: [1] })
    server = await startWithDingTalk(fake, {
      metrics: { port: 0, host: '127.0.0.1' },
      rateLimits: { signInPerMinute: 4 },
      notifications: { autoDispatch: false },
      orgInvitations: { autoDispatch: false },
    })
  })

  afterAll(async () => {
    await server?.close()
    await fake?.stop()
  })

  it('shows each family after a short load, by route pattern, with the queues and the DingTalk outcomes', async () => {
    // the load: sign-ins (DingTalk ok, a used code, DingTalk down), one over the limit, reads, unknown endpoints
    const siti = await server.signInAs('u-siti')
    expect(siti.statusCode).toBe(200)
    const token = (siti.json() as { token: string }).token
    expect((await server.signInAs('u-budi')).statusCode).toBe(200)
    // a code DingTalk never issued: 40078
    const unknown = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', corpId: fake.corpId } })
    expect(unknown.statusCode).toBeGreaterThanOrEqual(400)
    fake.fail('user/get', '5xx', 3)
    const outage = await server.signInAs('u-siti')
    expect(outage.statusCode).toBeGreaterThanOrEqual(500)
    const refused = await server.signInAs('u-siti')
    expect(refused.statusCode).toBe(429)
    for (let i = 0; i < 3; i++) expect((await server.api('GET', '/api/me', { token })).statusCode).toBe(200)
    await server.api('GET', '/api/uploads/upl-private-4f1c', { token })
    expect((await server.api('GET', '/api/no-such-endpoint')).statusCode).toBe(404)
    // someone guessing a console password: the sign-in pauses after MAX_FAILURES_PER_USER failures (429)
    const guesses: number[] = []
    for (let i = 0; i <= MAX_FAILURES_PER_USER; i++) guesses.push((await consoleSignIn(server.app, 'olivia', `guess-${i}`)).res.statusCode)
    expect(guesses[guesses.length - 1]).toBe(429)

    // the queues: two work notifications waiting (the oldest 10 minutes), one given up; one Org invitation waiting 5 minutes
    const repos = createRepos(server.db)
    const now = server.clock.now().getTime()
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString()
    for (const [i, minutes] of [10, 2, 30].entries()) {
      await repos.notifications.insert({
        id: `ntf-${randomUUID()}`,
        eventKey: `metrics-test-${i}`,
        staffId: 'staff-dao',
        kind: 'promotion.approved',
        params: {},
        status: 'PENDING',
        lastError: null,
        createdAt: at(minutes),
      })
    }
    await server.db.run("UPDATE notifications SET status = 'FAILED' WHERE event_key = 'metrics-test-2'")
    const request = (await server.db.get<{ id: string; staff_id: string; iso_id: string }>(
      'SELECT id, staff_id, iso_id FROM association_requests ORDER BY id LIMIT 1',
    ))!
    await repos.orgInvitations.insert({
      id: `inv-${randomUUID()}`,
      requestId: request.id,
      staffId: request.staff_id,
      isoId: request.iso_id,
      deptId: 1,
      name: 'Metrics Test',
      mobileE164: '+6591234567',
      status: 'PENDING',
      problem: null,
      createdAt: at(5),
    })

    expect(server.app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const res = await fetch(server.app.metricsUrl!)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    const all = samples(text)

    // latency by route pattern, never the raw address
    expect(valueOf(all, 'posm_http_request_duration_seconds_count', { method: 'GET', route: '/api/me', status_code: '200' })).toBe(3)
    expect(valueOf(all, 'posm_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/me', status_code: '200', le: '+Inf' })).toBe(3)
    expect(valueOf(all, 'posm_http_request_duration_seconds_count', { method: 'POST', route: '/api/auth/dingtalk', status_code: '200' })).toBe(2)
    expect(all.some((s) => s.name === 'posm_http_request_duration_seconds_count' && s.labels.route === '/api/uploads/:id')).toBe(true)
    expect(text).not.toContain('upl-private-4f1c')
    expect(text).not.toContain('no-such-endpoint')
    // error counts
    expect(valueOf(all, 'posm_http_errors_total', { method: 'POST', route: '/api/auth/dingtalk', status_code: '429' })).toBe(1)
    expect(valueOf(all, 'posm_http_errors_total', { method: 'GET', route: '/api/*', status_code: '404' })).toBe(1)
    expect(valueOf(all, 'posm_http_errors_total', { method: 'POST', route: '/api/auth/dingtalk', status_code: String(outage.statusCode) })).toBe(1)
    expect(valueOf(all, 'posm_http_errors_total', { method: 'GET', route: '/api/me' })).toBeUndefined()
    // rate-limit refusals
    expect(valueOf(all, 'posm_rate_limit_refusals_total', { limit: 'sign_in' })).toBe(1)
    expect(valueOf(all, 'posm_rate_limit_refusals_total', { limit: 'console_sign_in' })).toBe(guesses.filter((status) => status === 429).length)
    // DingTalk call outcomes, once per call after its retries
    expect(valueOf(all, 'posm_dingtalk_calls_total', { call: 'gettoken', outcome: 'ok' })).toBe(1)
    expect(valueOf(all, 'posm_dingtalk_calls_total', { call: 'topapi/v2/user/getuserinfo', outcome: 'ok' })).toBe(3)
    expect(valueOf(all, 'posm_dingtalk_calls_total', { call: 'topapi/v2/user/getuserinfo', outcome: 'code-invalid' })).toBe(1)
    expect(valueOf(all, 'posm_dingtalk_calls_total', { call: 'topapi/v2/user/get', outcome: 'ok' })).toBe(2)
    expect(valueOf(all, 'posm_dingtalk_calls_total', { call: 'topapi/v2/user/get', outcome: 'unavailable' })).toBe(1)
    // the Alipay+ calls' family is there (no Alipay+ call is made yet)
    expect(text).toContain('# TYPE posm_alipay_plus_calls_total counter')
    // the queues
    expect(valueOf(all, 'posm_queue_depth', { queue: 'work_notifications' })).toBe(2)
    expect(valueOf(all, 'posm_queue_oldest_age_seconds', { queue: 'work_notifications' })).toBe(600)
    expect(valueOf(all, 'posm_queue_needs_attention', { queue: 'work_notifications' })).toBe(1)
    expect(valueOf(all, 'posm_queue_depth', { queue: 'org_invitations' })).toBe(1)
    expect(valueOf(all, 'posm_queue_oldest_age_seconds', { queue: 'org_invitations' })).toBe(300)
    expect(valueOf(all, 'posm_queue_needs_attention', { queue: 'org_invitations' })).toBe(0)
    // the database pool
    const engine = { engine: testEngine }
    const max = valueOf(all, 'posm_db_pool_max', engine)!
    const total = valueOf(all, 'posm_db_pool_total', engine)!
    expect(max).toBe(testEngine === 'sqlite' ? 1 : 10)
    expect(total).toBeGreaterThanOrEqual(1)
    expect(total).toBeLessThanOrEqual(max)
    expect(valueOf(all, 'posm_db_pool_idle', engine)).toBeLessThanOrEqual(total)
    expect(valueOf(all, 'posm_db_pool_waiting', engine)).toBe(0)
    // the dependencies and the process
    expect(valueOf(all, 'posm_dependency_up', { dependency: 'database' })).toBe(1)
    expect(valueOf(all, 'posm_dependency_up', { dependency: 'photo_store' })).toBe(1)
    expect(valueOf(all, 'posm_process_cpu_seconds_total')).toBeGreaterThan(0)
    // no secret
    expect(text).not.toContain(fake.appSecret)
    for (const issued of fake.issuedTokens) expect(text).not.toContain(issued)
  })

  it('is not served on the public port, and its own port serves nothing else', async () => {
    await server.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = server.app.server.address() as AddressInfo
    const publicBase = `http://127.0.0.1:${port}`
    for (const url of ['/metrics', '/api/metrics', '/console/metrics']) {
      const res = await fetch(`${publicBase}${url}`, { redirect: 'manual' })
      // the console sends anyone not signed in to its sign-in page
      expect(res.status).toBe(url.startsWith('/console') ? 303 : 404)
      expect(await res.text()).not.toContain('posm_http_request_duration_seconds')
    }
    const metricsBase = server.app.metricsUrl!.replace(/\/metrics$/, '')
    expect((await fetch(`${metricsBase}/api/me`)).status).toBe(404)
    expect((await fetch(`${metricsBase}/metrics`, { method: 'POST' })).status).toBe(404)
  })
})

describe('METRICS_PORT and METRICS_HOST', () => {
  it('are off by default, loopback when only the port is set, and refused with a line naming the setting', () => {
    expect(loadConfig({}).metrics).toBeNull()
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' })
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9464, host: '10.0.0.5' })
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow('METRICS_PORT must be a whole number between 1 and 65535 (got "nine")')
    expect(() => loadConfig({ METRICS_PORT: '3100' })).toThrow('METRICS_PORT must differ from PORT')
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow('METRICS_PORT must differ from PORT')
    expect(() => loadConfig({ METRICS_HOST: '0.0.0.0' })).toThrow('METRICS_HOST is set but METRICS_PORT is not')
    expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: 'a b' })).toThrow('METRICS_HOST must be an address to listen on')
  })
})

describe('the server program with METRICS_PORT', () => {
  /** A port nobody listens on (a listener on port 0 is closed again), or one held by `hold` until it is closed. */
  const port = (hold = false) =>
    new Promise<{ port: number; close(): Promise<void> }>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const close = () => new Promise<void>((done) => server.close(() => done()))
        const { port: number } = server.address() as AddressInfo
        if (hold) resolve({ port: number, close })
        else void close().then(() => resolve({ port: number, close: async () => undefined }))
      })
    })

  it('serves the metrics on that port of loopback, and refuses to start naming the setting when the port is taken', async () => {
    const { dir, cleanup } = tempDir()
    const database = testDatabaseIn(dir)
    const env = { WORKSPACE_DEV: '1', PORT: '0', UPLOAD_DIR: `${dir}/uploads`, STATIC_DIR: `${dir}/no-h5`, ...database.env() }
    const held = await port(true)
    try {
      const free = await port()
      const server = await startServerProcess({ ...env, METRICS_PORT: String(free.port) })
      try {
        await fetch(`${server.base}/api/health`)
        const res = await fetch(`http://127.0.0.1:${free.port}/metrics`)
        expect(res.status).toBe(200)
        expect(await res.text()).toMatch(/^posm_http_request_duration_seconds_count\{method="GET",route="\/api\/health",status_code="200"\} 1$/m)
        expect(server.output.join('')).toContain(`metrics at http://127.0.0.1:${free.port}/metrics`)
      } finally {
        await stopServerProcess(server)
      }

      const refused = await startServerProcess({ ...env, METRICS_PORT: String(held.port) }).then(
        async (started) => {
          await stopServerProcess(started)
          return 'started'
        },
        (error: Error) => error.message,
      )
      expect(refused).toContain(`The metrics cannot listen on 127.0.0.1:${held.port} (METRICS_HOST, METRICS_PORT)`)
    } finally {
      await held.close()
      await database.drop()
      cleanup()
    }
  })
})
