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
                    'email',
                    'region',
                    'timezone',
                    'dingtalkDeptId',
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

describe('confirmation notices in the sweep', () => {
  let server: TestServer
  afterAll(async () => {
    await server.close()
  })

  it('as every role: a notice addressed to a record outside the role’s scope says nothing about it', async () => {
    server = await startTestServer()
    // a decided request to each ISO: Emily's (Nusantara) approved, Farah's (Lion City) rejected
    const farah = await server.signIn('staff-farah')
    const sent = await server.api('POST', '/api/association/requests', {
      token: farah,
      body: { isoEmail: 'ops@lioncitypay.example', name: 'Farah Aziz', phone: '+6591234567' },
    })
    const farahRequest = (sent.json() as { request: { id: string } }).request.id
    expect((await server.consoleAs(DEV_ACCOUNT.nusantara).post('/console/requests/req-seed-emily/approve', {})).statusCode).toBe(303)
    expect((await server.consoleAs(DEV_ACCOUNT.lioncity).post(`/console/requests/${farahRequest}/reject`, { reason: 'Wrong phone' })).statusCode).toBe(303)

    const requests = await server.db.all<{ id: string; iso_id: string | null }>('SELECT id, iso_id FROM association_requests')
    const isos = await server.db.all<{ id: string; region: string }>('SELECT id, region FROM isos')
    expect(requests.length).toBeGreaterThanOrEqual(2)
    /** What each role may act on (README, Console accounts and roles), written here independently of access.ts. */
    const scope: Record<string, { request: (isoId: string | null) => boolean; settings: (iso: { region: string }) => boolean; department: boolean }> = {
      [DEV_ACCOUNT.admin]: { request: () => true, settings: () => true, department: true },
      [DEV_ACCOUNT.lioncity]: { request: (isoId) => isoId === 'iso-lioncity', settings: () => false, department: false },
      [DEV_ACCOUNT.nusantara]: { request: (isoId) => isoId === 'iso-nusantara', settings: () => false, department: false },
      [DEV_ACCOUNT.coordinator]: { request: () => false, settings: (iso) => iso.region === 'SEA', department: false },
      [DEV_ACCOUNT.alipay]: { request: () => false, settings: () => false, department: false },
    }
    const records = [
      ...requests.flatMap((r) => ['approved', 'rejected'].map((done) => ({ done, id: r.id, mayShow: (who: string) => scope[who].request(r.iso_id) }))),
      ...isos.flatMap((iso) => [
        { done: 'saved', id: iso.id, mayShow: (who: string) => scope[who].settings(iso) },
        { done: 'department', id: iso.id, mayShow: (who: string) => scope[who].department },
      ]),
      ...['created', 'assigned', 'accepted', ''].map((done) => ({ done, id: 'iso-nusantara', mayShow: () => false })),
    ]
    let checked = 0
    for (const who of Object.keys(scope)) {
      const client = server.consoleAs(who)
      const plain = await client.get('/console')
      for (const record of records) {
        const res = await client.get(`/console?done=${record.done}&id=${encodeURIComponent(record.id)}`)
        const where = `${who} ${record.done} ${record.id}`
        expect([where, res.statusCode]).toEqual([where, plain.statusCode])
        if (record.mayShow(who)) continue
        // out of scope: the very page without the notice (or the same redirect), naming nothing of the record
        expect([where, res.body === plain.body, res.headers.location]).toEqual([where, true, plain.headers.location])
        checked++
      }
    }
    expect(checked).toBeGreaterThan(records.length * 3)
  })
})
