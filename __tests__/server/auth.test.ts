import type { DevStaffOption, SessionInfo } from '../../packages/contract/api'
import { errorOf, startTestServer, type TestServer } from './helpers'

describe('sign-in', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(() => server.close())

  it('signs a DingTalk auth code in as the demo staff member in development mode', async () => {
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'code-from-dd-getAuthCode' } })
    expect(res.statusCode).toBe(200)
    const session = res.json() as SessionInfo
    expect(session.token).toMatch(/^[0-9a-f]{64}$/)
    expect(session.expiresAt).toBe('2025-03-03T14:00:00.000Z') // 720 minutes after the clock's now
    expect(session.staff).toEqual({
      id: 'staff-aisyah',
      name: 'Aisyah Rahman',
      phoneMasked: '+60 1••••••89',
      association: { status: 'none', iso: null, request: null },
      testAccount: null,
    })
  })

  it('takes dev:<staffId>#<anything> as a fresh code for the same staff member', async () => {
    for (const authCode of ['dev:staff-chen#1', 'dev:staff-chen#2']) {
      const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode } })
      expect(res.statusCode).toBe(200)
      expect((res.json() as SessionInfo).staff.name).toBe('Chen Wei')
    }
    const reuse = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'dev:staff-chen#1' } })
    expect(reuse.statusCode).toBe(401)
  })

  it('accepts an auth code only once', async () => {
    expect((await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'once' } })).statusCode).toBe(200)
    const reuse = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'once' } })
    expect(reuse.statusCode).toBe(401)
    expect(errorOf(reuse).code).toBe('AUTH_CODE_INVALID')
  })

  it('signs dev:<staffId> in as that staff member', async () => {
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'dev:staff-chen' } })
    expect(res.statusCode).toBe(200)
    const { staff } = res.json() as SessionInfo
    expect(staff.id).toBe('staff-chen')
    expect(staff.testAccount).toEqual({ email: 'alipay.test.chen@lioncitypay.example', passwordSet: true })
    expect(staff.association.status).toBe('associated')
    expect(staff.association.iso).toEqual({ id: 'iso-lioncity', name: 'Lion City Payments Pte. Ltd.', deploymentMethod: 'VERIFY_THEN_DEPLOY' })
  })

  it('refuses dev:<unknown staff>', async () => {
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'dev:staff-nobody' } })
    expect(res.statusCode).toBe(401)
    expect(errorOf(res)).toMatchObject({ code: 'AUTH_CODE_INVALID', message: expect.stringContaining('staff-nobody') })
  })

  it('spends a code even when it signs nobody in', async () => {
    await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'dev:staff-nobody' } })
    const again = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'dev:staff-nobody' } })
    expect(errorOf(again).message).toMatch(/already been used/)
  })

  it('validates the auth code payload', async () => {
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: '   ' } })
    expect(res.statusCode).toBe(400)
    expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', fields: { authCode: 'REQUIRED' } })
  })

  it('signs in through the dev endpoint and lists the staff to pick from', async () => {
    const res = await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-budi' } })
    expect(res.statusCode).toBe(200)
    expect((res.json() as SessionInfo).staff.association).toMatchObject({ status: 'invited', iso: { id: 'iso-nusantara' } })

    const list = await server.api('GET', '/api/auth/dev/staff')
    expect(list.statusCode).toBe(200)
    const staff = (list.json() as { staff: DevStaffOption[] }).staff
    expect(staff).toHaveLength(6)
    expect(staff).toContainEqual({ id: 'staff-budi', name: 'Budi Santoso', status: 'invited', isoName: 'Nusantara Merchant Services' })
    expect(staff).toContainEqual({ id: 'staff-emily', name: 'Emily Tan', status: 'pending', isoName: null })
  })

  it('answers 404 for an unknown staff member and 400 for a missing id', async () => {
    const unknown = await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-nobody' } })
    expect(unknown.statusCode).toBe(404)
    expect(errorOf(unknown).code).toBe('NOT_FOUND')
    const missing = await server.api('POST', '/api/auth/dev', { body: {} })
    expect(missing.statusCode).toBe(400)
    expect(errorOf(missing).fields).toEqual({ staffId: 'REQUIRED' })
  })

  it('uses the configured demo staff member', async () => {
    await server.close()
    server = await startTestServer({ demoStaffId: 'staff-farah' })
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'x' } })
    expect((res.json() as SessionInfo).staff.id).toBe('staff-farah')
  })
})

describe('sign-in outside development mode', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer({ dev: false })
  })
  afterEach(() => server.close())

  it('refuses DingTalk codes when DingTalk is not configured (the server does not start so; see config.test)', async () => {
    for (const authCode of ['any-code', 'dev:staff-chen']) {
      const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode } })
      expect(res.statusCode).toBe(401)
      const error = errorOf(res)
      expect(error.code).toBe('AUTH_CODE_INVALID')
      expect(error.message).toMatch(/DingTalk is not configured/)
    }
  })

  it('refuses dev sign-in and the dev staff list', async () => {
    const signIn = await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-chen' } })
    expect(signIn.statusCode).toBe(403)
    expect(errorOf(signIn).code).toBe('DEV_SIGNIN_DISABLED')
    const noBody = await server.api('POST', '/api/auth/dev', { payload: 'garbage', headers: { 'content-type': 'application/json' } })
    expect(noBody.statusCode).toBe(400) // the body is read before the handler runs
    const list = await server.api('GET', '/api/auth/dev/staff')
    expect(list.statusCode).toBe(403)
    expect(errorOf(list).code).toBe('DEV_SIGNIN_DISABLED')
  })
})

describe('session', () => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer({ sessionTtlMinutes: 30 })
  })
  afterEach(() => server.close())

  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', `Bearer ${'ab'.repeat(32)}`],
    ['a malformed token', 'Bearer not-a-token'],
    ['another scheme', 'Basic Y29uc29sZTpjb25zb2xl'],
  ])('answers 401 UNAUTHORIZED with %s', async (_label, authorization) => {
    const res = await server.api('GET', '/api/me', { headers: authorization ? { authorization } : {} })
    expect(res.statusCode).toBe(401)
    expect(errorOf(res).code).toBe('UNAUTHORIZED')
  })

  it('serves the profile with a valid token', async () => {
    const token = await server.signIn('staff-dao')
    const res = await server.api('GET', '/api/me', { token })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: 'staff-dao', phoneMasked: '+84 9••••••78', testAccount: { email: 'alipay.test.dao@nusantara-ms.example' } })
  })

  it('answers 401 SESSION_EXPIRED once the session has expired', async () => {
    const token = await server.signIn('staff-aisyah')
    server.clock.advance({ minutes: 29, seconds: 59 })
    expect((await server.api('GET', '/api/me', { token })).statusCode).toBe(200)
    server.clock.advance({ seconds: 1 })
    const res = await server.api('GET', '/api/association', { token })
    expect(res.statusCode).toBe(401)
    expect(errorOf(res).code).toBe('SESSION_EXPIRED')
  })

  it('checks the session before reading the body', async () => {
    const res = await server.api('POST', '/api/association/requests', { payload: '{bad json', headers: { 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(401)
    expect(errorOf(res).code).toBe('UNAUTHORIZED')
  })
})
