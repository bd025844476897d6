/**
 * Sessions: on every authenticated route (every key of `Endpoints` but the sign-ins, plus the upload
 * routes), a missing, forged or expired bearer token is refused with 401 before anything else happens —
 * before the body is read, before ownership or association is checked — and nothing is stored.
 */
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import type { SessionInfo } from '../../packages/contract/api'
import { ROUTES, expectClientError, expectUnchanged, hostileString, openDbReader, urlOf, type DbReader, type Route } from './campaign-helpers'
import { startTestServer, type TestServer } from './helpers'
import { multipart, png } from './promotion-fixtures'

// Property runs are short (well under a second each) but the machine may be busy: leave them room.
jest.setTimeout(30_000)

const TTL_MINUTES = 720

/** Ids that exist and belong to staff-chen where possible (so that a valid token gets past the session check). */
const IDS = { request: 'req-seed-emily', promotion: 'prm-seed-kopi', inspection: 'ins-seed-kopi', upload: 'upl-seed-storefront' } as const

function call(server: TestServer, route: Route, authorization: string | undefined): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
  const url = urlOf(route, route.id ? IDS[route.id] : '')
  if (route.multipart) {
    const { payload, contentType } = multipart([{ name: 'file', filename: 'photo.png', content: png(7_000_000 + Math.floor(Math.random() * 1000)) }])
    return server.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload })
  }
  if (route.method === 'POST') {
    return server.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(route.body ?? {}) })
  }
  return server.app.inject({ method: 'GET', url, headers })
}

function expect401(res: LightMyRequestResponse, code: 'UNAUTHORIZED' | 'SESSION_EXPIRED', context: string): void {
  const error = expectClientError(res, context)
  if (res.statusCode !== 401 || error.code !== code) throw new Error(`expected 401 ${code}: ${context} → ${res.statusCode} ${error.code}`)
}

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/)
const routeArb = fc.constantFrom(...ROUTES)

/** Authorization headers that must not sign anyone in, given a real token. */
function forgedHeaders(token: string): fc.Arbitrary<string> {
  const changed = fc.tuple(fc.nat({ max: 63 }), fc.constantFrom(...'0123456789abcdef')).filter(([i, c]) => token[i] !== c)
  return fc.oneof(
    hex64.filter((t) => t !== token).map((t) => `Bearer ${t}`),
    changed.map(([i, c]) => `Bearer ${token.slice(0, i)}${c}${token.slice(i + 1)}`),
    fc
      .constantFrom('Basic', 'Token', 'Bearer:', 'JWT', 'Digest', 'Bearer\t', 'Bearer,', 'OAuth', 'Bearer-', 'Beare', 'MAC')
      .map((scheme) => `${scheme} ${token}`),
    fc.constantFrom(
      token,
      `Bearer`,
      `Bearer `,
      `Bearer ${token.slice(1)}`,
      `Bearer ${token}0`,
      `Bearer ${token}${token}`,
      `Bearer ${token} extra`,
      `Bearer ${token},Bearer ${token}`,
      `Bearer "${token}"`,
      `Bearer ${token.slice(0, 63)}g`,
      `Bearer ${Buffer.from(token, 'hex').toString('base64')}`,
      `Basic ${Buffer.from(`${token}:`).toString('base64')}`,
      `Basic ${Buffer.from('iso-admin:s3cret pass').toString('base64')}`,
    ),
    hostileString({ hugeMax: 4000 })
      .map((s) => s.replace(/[^\x20-\x7e]/g, ''))
      .map((s) => `Bearer ${s}`),
  )
}

describe('sessions on every authenticated route', () => {
  let server: TestServer
  let db: DbReader
  let chen = ''

  beforeAll(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
    db = openDbReader(server)
  })
  afterAll(async () => {
    db.close()
    await server.close()
  })

  it('lists every authenticated endpoint of the contract, each answered (not 404) with a valid token', async () => {
    expect(ROUTES.length).toBe(26)
    for (const route of ROUTES) {
      const res = await call(server, route, `Bearer ${chen}`)
      // the route exists and the session is accepted: any answer but 401 (and not the unknown-endpoint 404)
      expect([route.key, res.statusCode]).not.toEqual([route.key, 401])
      if (res.statusCode === 404) expect([route.key, res.json().error.message]).not.toEqual([route.key, expect.stringMatching(/^No endpoint/)])
      expect(res.statusCode).toBeLessThan(500)
    }
  })

  it('refuses a request without Authorization with 401 UNAUTHORIZED, storing nothing', async () => {
    for (const route of ROUTES) {
      const before = await db.snapshot()
      expect401(await call(server, route, undefined), 'UNAUTHORIZED', route.key)
      expectUnchanged(before, await db.snapshot(), route.key)
    }
  })

  it('refuses forged tokens (random, one character changed, another scheme, malformed) with 401 UNAUTHORIZED', async () => {
    await fc.assert(
      fc.asyncProperty(routeArb, forgedHeaders(chen), async (route, authorization) => {
        const before = await db.snapshot()
        expect401(await call(server, route, authorization), 'UNAUTHORIZED', `${route.key} with ${JSON.stringify(authorization.slice(0, 90))}`)
        expectUnchanged(before, await db.snapshot(), route.key)
      }),
      { numRuns: 150 },
    )
  })

  it('refuses a forged token before reading a hostile body (401, not 400)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES.filter((r) => r.method === 'POST')),
        hex64,
        fc.constantFrom('{', 'null', '[]', '{"__proto__":1}', 'x'.repeat(70_000)),
        async (route, token, payload) => {
          const res = await server.app.inject({
            method: 'POST',
            url: urlOf(route, route.id ? IDS[route.id] : ''),
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            payload,
          })
          expect401(res, 'UNAUTHORIZED', route.key)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('does not take the console’s Basic credentials for a staff session', async () => {
    const basic = `Basic ${Buffer.from('iso-admin:s3cret pass').toString('base64')}`
    for (const route of ROUTES) expect401(await call(server, route, basic), 'UNAUTHORIZED', route.key)
  })
})

describe('expired sessions', () => {
  let server: TestServer
  let db: DbReader

  beforeEach(async () => {
    server = await startTestServer()
    db = openDbReader(server)
  })
  afterEach(async () => {
    db.close()
    await server.close()
  })

  it('accepts a token until its TTL and refuses it with 401 SESSION_EXPIRED from then on, on every route', async () => {
    const session = (await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-chen' } })).json() as SessionInfo
    expect(Date.parse(session.expiresAt) - server.clock.now().getTime()).toBe(TTL_MINUTES * 60_000)

    server.clock.advance({ minutes: TTL_MINUTES, ms: -1 })
    expect((await server.api('GET', '/api/me', { token: session.token })).statusCode).toBe(200)

    server.clock.advance({ ms: 1 })
    for (const route of ROUTES) {
      const before = await db.snapshot()
      expect401(await call(server, route, `Bearer ${session.token}`), 'SESSION_EXPIRED', route.key)
      expectUnchanged(before, await db.snapshot(), route.key)
    }
  })

  it('keeps refusing an expired token however far the clock moves, and never brings it back', async () => {
    const token = await server.signIn('staff-dao')
    await fc.assert(
      fc.asyncProperty(routeArb, fc.integer({ min: 0, max: 6 * 24 * 60 }), async (route, extraMinutes) => {
        server.clock.reset()
        server.clock.advance({ minutes: TTL_MINUTES + extraMinutes })
        const before = await db.snapshot()
        expect401(await call(server, route, `Bearer ${token}`), 'SESSION_EXPIRED', `${route.key} +${extraMinutes} min`)
        expectUnchanged(before, await db.snapshot(), route.key)
      }),
      { numRuns: 60 },
    )
    // long after (sessions expired over a week ago are forgotten at the next sign-in): unknown, still 401
    server.clock.reset()
    server.clock.advance({ days: 9 })
    await server.signIn('staff-chen')
    for (const route of ROUTES) expect401(await call(server, route, `Bearer ${token}`), 'UNAUTHORIZED', route.key)
  })

  it('refuses an expired token even with a hostile or oversized body (401 before the body is read)', async () => {
    const token = await server.signIn('staff-chen')
    server.clock.advance({ minutes: TTL_MINUTES + 1 })
    for (const route of ROUTES.filter((r) => r.method === 'POST')) {
      for (const payload of ['{', '"x"', 'x'.repeat(70_000)]) {
        const res = await server.app.inject({
          method: 'POST',
          url: urlOf(route, route.id ? IDS[route.id] : ''),
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload,
        })
        expect401(res, 'SESSION_EXPIRED', route.key)
      }
    }
  })

  it('signs in again after expiry with a new token that works', async () => {
    const old = await server.signIn('staff-chen')
    server.clock.advance({ minutes: TTL_MINUTES })
    const fresh = await server.signIn('staff-chen')
    expect(fresh).not.toBe(old)
    expect((await server.api('GET', '/api/me', { token: fresh })).statusCode).toBe(200)
    expect((await server.api('GET', '/api/me', { token: old })).statusCode).toBe(401)
  })
})
