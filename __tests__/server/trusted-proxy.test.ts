/**
 * Behind a load balancer (TRUST_PROXY): the client's address comes from X-Forwarded-For only when the request
 * reached the server from a configured proxy; the sign-in rate limit, the console's lockout by address and the
 * request log then count each real client on its own. Anyone else's forwarded headers are ignored.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { ApiErrorBody } from '../../packages/contract/errors'
import { parseTrustProxy } from '../../server/src/client-address'
import { loadConfig } from '../../server/src/config'
import { MAX_FAILURES_PER_ADDRESS } from '../../server/src/services/console-accounts'
import type { AuditRow } from '../../server/src/repo/audit'
import { cookieFrom, csrfOf, startTestServer, type TestServer } from './helpers'

const PROXY = '10.0.0.5'
const ALICE = '203.0.113.10'
const BOB = '198.51.100.20'

describe('TRUST_PROXY read from the environment', () => {
  it('takes addresses, CIDR ranges, named ranges or a hop count', () => {
    const lb = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.10' }).trustProxy!
    expect([lb.trust('10.1.2.3', 0), lb.trust('192.168.1.10', 0), lb.trust('192.168.1.11', 0), lb.trust('203.0.113.10', 0)]).toEqual([true, true, false, false])
    // an IPv4 peer as a dual-stack socket reports it
    expect(lb.trust('::ffff:10.9.9.9', 0)).toBe(true)
    const named = parseTrustProxy('loopback,uniquelocal')!
    expect([named.trust('127.0.0.1', 0), named.trust('::1', 0), named.trust('172.16.4.4', 0), named.trust('8.8.8.8', 0)]).toEqual([true, true, true, false])
    const hops = parseTrustProxy('2')!
    expect([hops.trust('8.8.8.8', 0), hops.trust('8.8.4.4', 1), hops.trust('1.1.1.1', 2)]).toEqual([true, true, false])
    expect(loadConfig({}).trustProxy).toBeUndefined()
    expect(loadConfig({ TRUST_PROXY: '  ' }).trustProxy).toBeUndefined()
  })

  it.each([
    ['true', /Trusting every address would let any client choose/],
    ['*', /Trusting every address/],
    ['lb.example.com', /"lb.example.com" is not an IP address or a CIDR range/],
    ['10.0.0.0/33', /"10.0.0.0\/33" has a prefix length that is not 0 to 32/],
    ['0', /between 1 and 10/],
  ])('refuses %s with a message naming TRUST_PROXY', (value, message) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^TRUST_PROXY names the load balancers/)
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(message)
  })
})

/** A request as it reaches the server: from `peer` (the socket's address), with `forwardedFor` if given. */
function from(server: TestServer, peer: string, forwardedFor: string | null, request: InjectOptions): Promise<LightMyRequestResponse> {
  const headers = { ...(request.headers ?? {}), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) }
  return server.app.inject({ ...request, headers, remoteAddress: peer })
}

const devSignIn = (server: TestServer, peer: string, forwardedFor: string | null) =>
  from(server, peer, forwardedFor, {
    method: 'POST',
    url: '/api/auth/dev',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ staffId: 'staff-chen' }),
  })

describe('the sign-in limit behind a load balancer (2 per minute per client address)', () => {
  let server: TestServer
  afterEach(() => server.close())

  it('with the load balancer trusted, each client behind it has a limit of its own', async () => {
    server = await startTestServer({ rateLimits: { signInPerMinute: 2 }, trustProxy: parseTrustProxy('10.0.0.0/8') })
    const alice = []
    for (let i = 0; i < 3; i++) alice.push((await devSignIn(server, PROXY, ALICE)).statusCode)
    expect(alice).toEqual([200, 200, 429])
    // Bob comes through the same load balancer: not refused because of Alice
    expect((await devSignIn(server, PROXY, BOB)).statusCode).toBe(200)
    // a chain: the client's own claim first, then what the load balancer saw; the nearest untrusted hop counts
    expect((await devSignIn(server, PROXY, `${ALICE}, ${BOB}`)).statusCode).toBe(200)
    expect((await devSignIn(server, PROXY, `${ALICE}, ${BOB}`)).statusCode).toBe(429)
  })

  it('a client that reaches the server directly cannot pick its address with X-Forwarded-For', async () => {
    server = await startTestServer({ rateLimits: { signInPerMinute: 2 }, trustProxy: parseTrustProxy('10.0.0.0/8') })
    const direct = []
    for (const claimed of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) direct.push((await devSignIn(server, '203.0.113.99', claimed)).statusCode)
    expect(direct).toEqual([200, 200, 429])
    // and the addresses it claimed were not charged: Alice through the load balancer as 192.0.2.1 still signs in
    expect((await devSignIn(server, PROXY, '192.0.2.1')).statusCode).toBe(200)
  })

  it('without TRUST_PROXY, forwarded headers are ignored: everything through the proxy is one address', async () => {
    server = await startTestServer({ rateLimits: { signInPerMinute: 2 } })
    const answers = []
    for (const client of [ALICE, BOB, '192.0.2.7']) answers.push((await devSignIn(server, PROXY, client)).statusCode)
    expect(answers).toEqual([200, 200, 429])
    expect((JSON.parse((await devSignIn(server, PROXY, '192.0.2.8')).body) as ApiErrorBody).error.code).toBe('RATE_LIMITED')
  })

  it('the request log names the real client', async () => {
    const lines: string[] = []
    server = await startTestServer({
      trustProxy: parseTrustProxy('10.0.0.0/8'),
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    })
    await from(server, PROXY, ALICE, { method: 'GET', url: '/api/health' })
    await from(server, '192.0.2.50', BOB, { method: 'GET', url: '/api/health' })
    const incoming = lines.map((l) => JSON.parse(l) as { msg: string; req?: { remoteAddress?: string } }).filter((l) => l.msg === 'incoming request')
    expect(incoming.map((l) => l.req?.remoteAddress)).toEqual([ALICE, '192.0.2.50'])
  })
})

describe('the console lockout by address behind a load balancer', () => {
  let server: TestServer
  afterEach(() => server.close())

  /** A console sign-in with a wrong password for a new name each time (so that only the address's count grows). */
  async function wrongPassword(peer: string, client: string, username: string): Promise<number> {
    const form = await from(server, peer, client, { method: 'GET', url: '/console/sign-in' })
    const res = await from(server, peer, client, {
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${cookieFrom(form, 'posm_console_signin')}` },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), username, password: 'not the password' }).toString(),
    })
    return res.statusCode
  }

  it('locks the address of the client that guessed, not every reviewer behind the load balancer', async () => {
    server = await startTestServer({ trustProxy: parseTrustProxy('10.0.0.0/8') })
    const statuses = []
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS + 1; i++) statuses.push(await wrongPassword(PROXY, ALICE, `guess-${i}`))
    expect(statuses.slice(0, MAX_FAILURES_PER_ADDRESS - 1).every((s) => s === 401)).toBe(true)
    expect(statuses[MAX_FAILURES_PER_ADDRESS]).toBe(429)
    // another reviewer through the same load balancer is not locked out
    const form = await from(server, PROXY, BOB, { method: 'GET', url: '/console/sign-in' })
    const res = await from(server, PROXY, BOB, {
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${cookieFrom(form, 'posm_console_signin')}` },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), username: 'console', password: 'console' }).toString(),
    })
    expect(res.statusCode).toBe(303)
    const throttled = await server.db.all<{ key: string }>("SELECT key FROM console_signin_throttle WHERE key LIKE 'addr:%'")
    expect(throttled.map((r) => r.key).sort()).toEqual([`addr:${ALICE}`, `addr:${BOB}`].sort())
  })
})

describe('the audit trail behind a load balancer', () => {
  let server: TestServer
  afterEach(() => server.close())

  /** The administrator signed in to the console from `peer`, forwarding `client`: its pages and forms. */
  async function adminFrom(peer: string, client: string | null) {
    const form = await from(server, peer, client, { method: 'GET', url: '/console/sign-in' })
    const signedIn = await from(server, peer, client, {
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `posm_console_signin=${cookieFrom(form, 'posm_console_signin')}` },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), username: 'console', password: 'console' }).toString(),
    })
    const cookie = `posm_console=${cookieFrom(signedIn, 'posm_console')}`
    const get = (url: string) => from(server, peer, client, { method: 'GET', url, headers: { cookie } })
    const csrf = csrfOf((await get('/console/accounts')).body)
    const post = (url: string, fields: Record<string, string>) =>
      from(server, peer, client, {
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      })
    return { get, post }
  }

  const newAccount = (username: string) => ({ username, name: `Reviewer ${username}`, role: 'alipay_reviewer', password: 'a long password 1' })
  const createdBy = async (username: string) =>
    (await server.db.get<AuditRow>("SELECT * FROM audit_log WHERE action = 'account.create' AND after_json LIKE ?", [`%"${username}"%`]))!

  it('records the real client of each console action, never an address a direct client wrote', async () => {
    server = await startTestServer({ trustProxy: parseTrustProxy('10.0.0.0/8') })
    const throughProxy = await adminFrom(PROXY, ALICE)
    expect((await throughProxy.post('/console/accounts', newAccount('ana'))).statusCode).toBe(303)
    expect((await createdBy('ana')).actor_address).toBe(ALICE)

    const direct = await adminFrom('192.0.2.77', BOB)
    expect((await direct.post('/console/accounts', newAccount('ben'))).statusCode).toBe(303)
    expect((await createdBy('ben')).actor_address).toBe('192.0.2.77')

    // shown in the audit trail and in its CSV
    const page = (await throughProxy.get('/console/audit?action=account.create')).body
    expect(page).toContain(`from ${ALICE}`)
    expect(page).toContain('from 192.0.2.77')
    const csv = (await throughProxy.get('/console/audit.csv')).body.trim().split('\r\n')
    const column = csv[0].split(',').indexOf('actor_address')
    expect(column).toBeGreaterThan(0)
    expect(csv.slice(1).map((line) => line.split(',')[column])).toEqual(expect.arrayContaining([ALICE, '192.0.2.77']))
  })
})
