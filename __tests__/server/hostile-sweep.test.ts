/**
 * The hostile sweep: every route of the server (the staff API and the console, as registered), signed in
 * as each console role, as staff members and as nobody, sent generated hostile bodies, queries, path
 * parameters and headers. Never a 5xx, never a stack trace in a body, and the database is unchanged
 * whenever the answer is not a success.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import type { Db } from '../../server/src/db'
import { hostileString, hostileValue, wellFormed } from './campaign-helpers'
import { tableNames } from './engine'
import { DEV_ACCOUNT, startTestServer, type TestServer } from './helpers'

/**
 * Tables that change by design on a refused request: a console session's last-seen time, the failed
 * sign-in counters (a wrong password is a 401 that is counted), the rate limits' request counts (a refused
 * request counts too), and each staff member's last reported working language (read from a header of any call).
 */
const VOLATILE = new Set(['console_sessions', 'console_signin_throttle', 'rate_limit_hits'])

/** A digest of every table's rows (in whatever order the engine answers them). */
async function snapshot(db: Db): Promise<string> {
  const hash = createHash('sha256')
  for (const name of await tableNames(db)) {
    if (VOLATILE.has(name)) continue
    const rows = (await db.all<Record<string, unknown>>(`SELECT * FROM "${name}"`)).map((row) => {
      if (name === 'staff') delete row.locale
      return `${name}:${JSON.stringify(row)}\n`
    })
    for (const row of rows.sort()) hash.update(row)
  }
  return hash.digest('hex')
}

const STACK = /\n\s+at \S.*:\d+:\d+|node_modules|\/server\/src\/|TypeError|ReferenceError|SqliteError|DatabaseError/

type Identity = { name: string; headers: () => Record<string, string>; csrf?: string; console: boolean }

describe('hostile sweep over every route', () => {
  let server: TestServer
  let db: Db
  const identities: Identity[] = []

  beforeAll(async () => {
    server = await startTestServer()
    db = server.db
    identities.push({ name: 'nobody', headers: () => ({}), console: false })
    for (const staff of ['staff-chen', 'staff-emily']) {
      const token = await server.signIn(staff)
      identities.push({ name: staff, headers: () => ({ authorization: `Bearer ${token}` }), console: false })
    }
    for (const account of [DEV_ACCOUNT.admin, DEV_ACCOUNT.lioncity, DEV_ACCOUNT.coordinator, DEV_ACCOUNT.alipay]) {
      const { cookie, csrf } = await server.consoleAs(account).session()
      identities.push({ name: account, headers: () => ({ cookie }), csrf, console: true })
    }
  })
  afterAll(async () => {
    await server.close()
  })

  const header = fc.record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
        '*/*',
      ),
      accept: fc.constantFrom('text/html', 'application/json', '*/*', ''),
      origin: fc.constantFrom('http://evil.example', 'null', 'http://localhost'),
      'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none'),
      'x-forwarded-for': fc.constantFrom('1.2.3.4', '::1', 'not an address'),
      'if-none-match': fc.string({ maxLength: 20 }),
    },
    { requiredKeys: [] },
  )

  it('answers every route for every identity without a 5xx or a stack trace, and changes nothing when it refuses', async () => {
    const routes = server.app.registeredRoutes.filter((r) => r.url !== '/*' && !r.url.endsWith('/*') && r.method !== 'OPTIONS')
    expect(routes.length).toBeGreaterThan(50)
    let requests = 0
    for (const route of routes) {
      for (const who of identities) {
        await fc.assert(
          fc.asyncProperty(
            fc.record({
              param: hostileString({ hugeMax: 2000 }),
              query: fc.dictionary(fc.string({ maxLength: 10 }), hostileString({ hugeMax: 500 }), { maxKeys: 3 }),
              body: fc.oneof(
                hostileValue({ hugeMax: 5000, allowNonJson: false }),
                fc.dictionary(
                  fc.constantFrom(
                    'reason',
                    'username',
                    'password',
                    'deploymentMethod',
                    'maxSpotsPerStore',
                    'clientId',
                    'role',
                    'next',
                    'staffId',
                    'promotionId',
                    'dueDate',
                  ),
                  hostileString({ hugeMax: 2000 }),
                ),
              ),
              headers: header,
              withCsrf: fc.boolean(),
            }),
            async ({ param, query, body, headers, withCsrf }) => {
              const url =
                route.url.replace(/:(\w+)/g, () => encodeURIComponent(wellFormed(param)) || 'x') +
                (Object.keys(query).length ? `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [wellFormed(k), wellFormed(v)])).toString()}` : '')
              const request: InjectOptions = { method: route.method as InjectOptions['method'], url, headers: { ...headers, ...who.headers() } }
              if (route.method === 'POST') {
                const form = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { value: body }
                const type = String(headers['content-type'] ?? '')
                if (type.startsWith('application/x-www-form-urlencoded')) {
                  const fields = Object.entries(form).map(([k, v]) => [wellFormed(k), wellFormed(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))])
                  if (who.csrf && withCsrf) fields.push(['_csrf', who.csrf])
                  request.payload = new URLSearchParams(fields).toString()
                } else {
                  request.payload = JSON.stringify(who.csrf && withCsrf ? { ...form, _csrf: who.csrf } : body) ?? 'null'
                }
              }
              const before = await snapshot(db)
              const res = await server.app.inject(request)
              requests++
              const where = `${who.name} ${route.method} ${route.url} → ${res.statusCode}`
              expect([where, res.statusCode < 500]).toEqual([where, true])
              expect([where, STACK.test(res.body) ? res.body.slice(0, 300) : '']).toEqual([where, ''])
              // refused: a 4xx, or a console page sending the signed-out visitor to the sign-in form
              const refused = res.statusCode >= 400 || String(res.headers.location ?? '').startsWith('/console/sign-in')
              if (refused) expect([where, await snapshot(db)]).toEqual([where, before])
            },
          ),
          { numRuns: 3, seed: 20261205 },
        )
      }
    }
    expect(requests).toBeGreaterThan(routes.length * identities.length * 2)
  }, 240_000)
})
