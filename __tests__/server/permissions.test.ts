import type { AssociationState } from '../../packages/contract/api'
import { errorOf, startTestServer, type TestServer } from './helpers'

describe('permissions and routing', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it("refuses another staff member's request with 403 and answers 404 for a missing one", async () => {
    const farah = await server.signIn('staff-farah')
    const aisyah = await server.signIn('staff-aisyah')
    const created = await server.api('POST', '/api/association/requests', {
      token: farah,
      body: { isoEmail: 'ops@lioncitypay.example', name: 'Farah Ismail', phone: '+6591234567' },
    })
    const id = (created.json() as AssociationState).request?.id as string

    expect((await server.api('GET', `/api/association/requests/${id}`, { token: farah })).statusCode).toBe(200)
    const foreign = await server.api('GET', `/api/association/requests/${id}`, { token: aisyah })
    expect(foreign.statusCode).toBe(403)
    expect(errorOf(foreign).code).toBe('FORBIDDEN')
    expect(foreign.body).not.toContain('Farah')

    const missing = await server.api('GET', '/api/association/requests/req-nope', { token: aisyah })
    expect(missing.statusCode).toBe(404)
    expect(errorOf(missing).code).toBe('NOT_FOUND')

    const anonymous = await server.api('GET', `/api/association/requests/${id}`)
    expect(anonymous.statusCode).toBe(401)
  })

  it('answers 404 NOT_FOUND as JSON for unknown /api routes, signed in or not', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/association/leave'],
      ['GET', '/api'],
    ] as const) {
      const res = await server.api(method, url)
      expect(res.statusCode).toBe(404)
      expect(errorOf(res).code).toBe('NOT_FOUND')
      expect(res.headers['access-control-allow-origin']).toBe('*')
    }
  })

  it('answers CORS preflights and marks every /api answer, errors included', async () => {
    const preflight = await server.api('OPTIONS', '/api/association/requests', {
      headers: { origin: 'http://localhost:10086', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
    expect(preflight.headers['access-control-allow-headers']).toBe('Authorization, Content-Type, X-Workspace-Locale')
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS')

    const unauthorized = await server.api('GET', '/api/me', { headers: { origin: 'http://localhost:10086' } })
    expect(unauthorized.statusCode).toBe(401)
    expect(unauthorized.headers['access-control-allow-origin']).toBe('*')

    const badJson = await server.api('POST', '/api/auth/dingtalk', { payload: '{', headers: { 'content-type': 'application/json' } })
    expect(badJson.statusCode).toBe(400)
    expect(badJson.headers['access-control-allow-origin']).toBe('*')
  })

  it('does not put CORS headers on the console', async () => {
    const res = await server.consoleGet()
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})
