import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ApiErrorBody } from '../../packages/contract/errors'
import { startTestServer, tempDir, type TestServer } from './helpers'
import { png, uploadRaw } from './promotion-fixtures'

describe('rate limits on the staff API', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer({ rateLimits: { signInPerMinute: 3, uploadsPerMinute: 2, submissionsPerMinute: 2 } })
  })
  afterEach(() => server.close())

  const expectLimited = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) => {
    expect(res.statusCode).toBe(429)
    const retryAfter = Number(res.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(60)
    const body = res.json() as ApiErrorBody
    expect(body.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter })
  }

  it('sign-in: a burst from one address is answered 429 with Retry-After', async () => {
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-chen' } }))
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 429, 429])
    expectLimited(answers[3])
    // reads are not limited
    const token = (answers[0].json() as { token: string }).token
    for (let i = 0; i < 10; i++) expect((await server.api('GET', '/api/me', { token })).statusCode).toBe(200)
  })

  it('uploads and submissions: counted per staff member, not shared with another', async () => {
    const [chen, dao] = await Promise.all([server.signIn('staff-chen'), server.signIn('staff-dao')])
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await uploadRaw(server, chen, png(500 + i))).statusCode)
    expect(statuses).toEqual([201, 201, 429])
    expectLimited(await uploadRaw(server, chen, png(600)))
    expect((await uploadRaw(server, dao, png(700))).statusCode).toBe(201)

    const body = { clientId: 'c-1' }
    const answers = []
    for (let i = 0; i < 3; i++) answers.push((await server.api('POST', '/api/promotions', { token: dao, body })).statusCode)
    // two answered (refused: the body is incomplete), the third not even read
    expect(answers.slice(0, 2).every((s) => s === 400)).toBe(true)
    expect(answers[2]).toBe(429)
  })

  it('uploads and submissions: one limit per staff member, whichever of their sessions and however the token is spelled', async () => {
    // signed in twice (two phones, or a sign-in repeated to get a fresh count)
    const first = await server.signIn('staff-dao')
    const second = await server.signIn('staff-dao')
    expect(second).not.toBe(first)
    const body = { clientId: 'c-2' }
    const submit = (token: string) => server.api('POST', '/api/promotions', { token, body })
    expect([(await submit(first)).statusCode, (await submit(first)).statusCode]).toEqual([400, 400])
    expectLimited(await submit(second))

    // the same token re-spelled is no session at all (and so has no count of its own)
    let letters = 0
    const firstTenLettersInCapitals = first.replace(/[a-f]/g, (c) => (++letters <= 10 ? c.toUpperCase() : c))
    const respelled = [first.toUpperCase(), firstTenLettersInCapitals]
    for (const token of respelled) {
      expect(token).not.toBe(first)
      const res = await submit(token)
      expect([token, res.statusCode, (res.json() as ApiErrorBody).error.code]).toEqual([token, 401, 'UNAUTHORIZED'])
      expect((await server.api('GET', '/api/me', { token })).statusCode).toBe(401)
    }
    // the scheme's name is not case-sensitive
    expect((await server.api('GET', '/api/me', { headers: { authorization: `bearer ${first}` } })).statusCode).toBe(200)

    const uploads = []
    for (const [i, token] of [first, second, first].entries()) uploads.push((await uploadRaw(server, token, png(800 + i))).statusCode)
    expect(uploads).toEqual([201, 201, 429])
  })
})

describe('security headers on every response', () => {
  it('the API, the H5 app (its inline script allowed by hash) and the console', async () => {
    const h5 = tempDir()
    const script = 'document.documentElement.style.fontSize="20px"'
    fs.writeFileSync(path.join(h5.dir, 'index.html'), `<!doctype html><title>POSM</title><script>${script}</script><script src="/js/app.js"></script>`)
    const server = await startTestServer({ staticDir: h5.dir })
    try {
      for (const url of ['/api/health', '/api/me', '/', '/pages/home/index', '/console/sign-in']) {
        const res = await server.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })
        expect([url, res.headers['x-content-type-options']]).toEqual([url, 'nosniff'])
        expect([url, typeof res.headers['content-security-policy']]).toEqual([url, 'string'])
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/)
        expect(res.headers['referrer-policy']).toBe('no-referrer')
        expect(res.headers['x-powered-by']).toBeUndefined()
        // one framing policy, said the same way by both headers: no framing
        expect([url, String(res.headers['content-security-policy']).includes("frame-ancestors 'none'"), res.headers['x-frame-options']]).toEqual([
          url,
          true,
          'DENY',
        ])
      }
      const app = await server.app.inject({ method: 'GET', url: '/' })
      const csp = String(app.headers['content-security-policy'])
      expect(csp).toContain(`script-src 'self' 'sha256-${createHash('sha256').update(script).digest('base64')}'`)
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("object-src 'none'")
      // the console keeps its stricter policy
      expect((await server.app.inject({ method: 'GET', url: '/console/sign-in' })).headers['content-security-policy']).toMatch(/^default-src 'none'/)
    } finally {
      await server.close()
      h5.cleanup()
    }
  })
})
