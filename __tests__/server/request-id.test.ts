/**
 * Request ids you can follow: each request gets an id unique across processes, or keeps the X-Request-Id a
 * trusted load balancer gave it (when well-formed); the id comes back in the X-Request-Id header and in every
 * API error body, and is on every log line of the request, DingTalk's calls made for it included.
 */
import type { LightMyRequestResponse } from 'fastify'
import type { ApiErrorBody } from '../../packages/contract/errors'
import { parseTrustProxy } from '../../server/src/client-address'
import { loadConfig } from '../../server/src/config'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { expectNoSecrets, startWithDingTalk, type DingTalkTestServer } from './dingtalk-helpers'
import { startTestServer, type TestServer } from './helpers'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const PROXY = '10.0.0.5'

interface LogLine {
  level: number
  msg: string
  reqId?: string
  dingtalk?: { api: string; errcode?: number | null }
}

const idOf = (res: LightMyRequestResponse) => res.headers['x-request-id'] as string
const errorBody = (res: LightMyRequestResponse) => (JSON.parse(res.body) as ApiErrorBody).error

describe('request ids', () => {
  const servers: TestServer[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  const start = async (...args: Parameters<typeof startTestServer>) => {
    const server = await startTestServer(...args)
    servers.push(server)
    return server
  }

  it('are unique across processes: two servers never hand out the same id', async () => {
    const [a, b] = [await start(), await start()]
    const ids: string[] = []
    for (const server of [a, b]) for (let i = 0; i < 3; i++) ids.push(idOf(await server.api('GET', '/api/health')))
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('come back in the header and in every API error body', async () => {
    const server = await start({ rateLimits: { signInPerMinute: 1 } })
    const token = await server.signIn('staff-chen')
    const refusals = [
      await server.api('GET', '/api/no-such-endpoint'),
      await server.api('GET', '/api/me'),
      await server.api('POST', '/api/promotions', { token, body: { clientId: 'c-1' } }),
      await server.api('POST', '/api/promotions', { token, payload: '{not json', headers: { 'content-type': 'application/json' } }),
      // the second sign-in of the minute
      await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-chen' } }),
    ]
    expect(refusals.map((r) => [r.statusCode, errorBody(r).code])).toEqual([
      [404, 'NOT_FOUND'],
      [401, 'UNAUTHORIZED'],
      [400, 'VALIDATION_FAILED'],
      [400, 'VALIDATION_FAILED'],
      [429, 'RATE_LIMITED'],
    ])
    for (const res of refusals) {
      expect(idOf(res)).toMatch(UUID)
      expect(errorBody(res).requestId).toBe(idOf(res))
    }
    // every answer carries the header: a success, the console's pages, the server's plain 404
    for (const res of [await server.api('GET', '/api/me', { token }), await server.consoleGet('/console'), await server.app.inject({ url: '/nothing.txt' })]) {
      expect(idOf(res)).toMatch(UUID)
    }
  })

  it('a console page that failed names the request for support, as its log lines do', async () => {
    const lines: string[] = []
    const server = await start({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } })
    expect((await server.consoleGet('/console/audit')).statusCode).toBe(200)
    // the audit trail's table gone from under the server
    await server.db.run('DROP TABLE audit_log')
    const res = await server.consoleGet('/console/audit')
    expect(res.statusCode).toBe(500)
    expect(res.body).toContain(`Reference for support: ${idOf(res)}`)
    const failure = lines.map((l) => JSON.parse(l) as LogLine).find((l) => l.msg === 'console request failed')
    expect(failure?.reqId).toBe(idOf(res))
  })

  it('keep a trusted load balancer’s well-formed X-Request-Id, and only that', async () => {
    const server = await start({ trustProxy: parseTrustProxy('10.0.0.0/8') })
    const call = (peer: string, id: string) => server.app.inject({ method: 'GET', url: '/api/me', remoteAddress: peer, headers: { 'x-request-id': id } })

    const fromProxy = await call(PROXY, 'lb-7f3a9c1e2d')
    expect(idOf(fromProxy)).toBe('lb-7f3a9c1e2d')
    expect(errorBody(fromProxy).requestId).toBe('lb-7f3a9c1e2d')
    // an AWS load balancer's trace id
    expect(idOf(await call(PROXY, 'Root=1-67891233-abcdef012345678912345678'))).toBe('Root=1-67891233-abcdef012345678912345678')

    // a client talking to the server directly cannot name its request (nor collide with another's)
    const direct = await call('203.0.113.9', 'lb-7f3a9c1e2d')
    expect(idOf(direct)).toMatch(UUID)
    expect(errorBody(direct).requestId).toBe(idOf(direct))
    // from the proxy, but not an id: something that would break a log line, or far too long
    for (const bad of ['two words', 'x'.repeat(200), '<script>', '-leading-dash']) expect(idOf(await call(PROXY, bad))).toMatch(UUID)
  })

  it('without TRUST_PROXY no incoming X-Request-Id is kept', async () => {
    const server = await start()
    const res = await server.app.inject({ method: 'GET', url: '/api/health', remoteAddress: PROXY, headers: { 'x-request-id': 'lb-1234' } })
    expect(idOf(res)).toMatch(UUID)
  })
})

describe('LOG_LEVEL', () => {
  it('takes pino’s levels in any case; anything else is refused naming the setting', () => {
    expect(loadConfig({}).logLevel).toBeUndefined()
    expect(loadConfig({ LOG_LEVEL: ' DEBUG ' }).logLevel).toBe('debug')
    expect(loadConfig({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent')
    for (const wrong of ['verbose', 'information', '3']) {
      expect(() => loadConfig({ LOG_LEVEL: wrong })).toThrow(`LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "${wrong}")`)
    }
  })
})

describe('request ids on the log lines, DingTalk calls included', () => {
  let fake: FakeDingTalk
  let server: DingTalkTestServer
  /** The lines of the server at LOG_LEVEL=debug (startWithDingTalk's own capture is at info). */
  let debugLog: string[] = []
  const logged = () => [...server.logs, ...debugLog]
  beforeEach(async () => {
    debugLog = []
    fake = await new FakeDingTalk().start()
    fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza', stateCode: '60', mobile: '123456789', deptIds: [1] })
  })
  afterEach(async () => {
    expectNoSecrets(logged().join('\n'), fake)
    await server.close()
    await fake.stop()
  })

  const lines = () => logged().map((l) => JSON.parse(l) as LogLine)
  const signIn = (id: string) =>
    server.app.inject({
      method: 'POST',
      url: '/api/auth/dingtalk',
      remoteAddress: PROXY,
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      payload: JSON.stringify({ authCode: fake.issueCode('u-siti'), corpId: fake.corpId }),
    })

  it('LOG_LEVEL=debug: the sign-in’s DingTalk calls are logged with the id the load balancer gave the request', async () => {
    server = await startWithDingTalk(fake, {
      trustProxy: parseTrustProxy('10.0.0.0/8'),
      logger: { level: 'debug', stream: { write: (line: string) => debugLog.push(line) } },
    })
    debugLog.length = 0
    const res = await signIn('lb-signin-0001')
    expect(res.statusCode).toBe(200)
    expect(idOf(res)).toBe('lb-signin-0001')
    const calls = lines().filter((l) => l.dingtalk)
    // the access token, the code's member, the member's details
    expect(calls.map((l) => l.dingtalk!.api)).toEqual(expect.arrayContaining(['gettoken', 'topapi/v2/user/getuserinfo', 'topapi/v2/user/get']))
    for (const line of lines()) expect([line.msg, line.reqId]).toEqual([line.msg, 'lb-signin-0001'])
  })

  it('a DingTalk failure is logged (at info) under the id of the request that met it, and the same id is in its error body', async () => {
    server = await startWithDingTalk(fake, { trustProxy: parseTrustProxy('10.0.0.0/8') })
    // a sign-in first, its DingTalk token cached: then another that DingTalk refuses
    expect((await signIn('lb-first')).statusCode).toBe(200)
    server.logs.length = 0
    fake.fail('getuserinfo', { errcode: 40089, errmsg: '不合法的corpid或corpsecret' })
    const res = await signIn('lb-second')
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(errorBody(res).requestId).toBe('lb-second')
    const warned = lines().filter((l) => l.dingtalk)
    expect(warned.length).toBeGreaterThan(0)
    expect(lines().every((l) => l.reqId === 'lb-second')).toBe(true)
    // and nothing at debug when LOG_LEVEL is info (the default)
    expect(lines().every((l) => l.level >= 30)).toBe(true)
  })
})
