/**
 * Production sign-in through DingTalk (a server without WORKSPACE_DEV, talking to the fake DingTalk):
 * staff made from the organisation's members at their first sign-in and kept up to date, codes of another
 * organisation refused, each DingTalk failure answered with the project's error code, membership asked of
 * DingTalk when the staff member says they joined, and no secret in any log line or error body.
 */
import type { SessionInfo } from '../../packages/contract/api'
import { maskPhone } from '../../packages/contract/rules/phone'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { expectNoSecrets, startWithDingTalk, type DingTalkTestServer } from './dingtalk-helpers'
import { errorOf } from './helpers'

let fake: FakeDingTalk
let server: DingTalkTestServer
const bodies: string[] = []

beforeEach(async () => {
  fake = await new FakeDingTalk().start()
  fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza', stateCode: '60', mobile: '123456789', deptIds: [1] })
  server = await startWithDingTalk(fake)
  bodies.length = 0
})

afterEach(async () => {
  // nothing the server logged or answered holds the app secret or a token
  expectNoSecrets([...server.logs, ...bodies].join('\n'), fake)
  await server.close()
  await fake.stop()
})

async function signIn(userid: string, opts: { locale?: string; corpId?: string } = {}) {
  const res = await server.signInAs(userid, opts)
  bodies.push(res.body)
  return res
}

interface StaffDbRow {
  id: string
  name: string
  phone_e164: string
  dingtalk_corp_id: string
  dingtalk_user_id: string
  locale: string | null
  association_status: string
  iso_id: string | null
}

describe('first and later sign-ins', () => {
  it('makes a staff member from DingTalk’s details at the first sign-in, in the working language the app reports', async () => {
    const before = (await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM staff'))!.n
    const res = await signIn('u-siti', { locale: 'ms' })
    expect(res.statusCode).toBe(200)
    const session = res.json() as SessionInfo
    expect(session.staff).toMatchObject({ name: 'Siti Nurhaliza', phoneMasked: maskPhone('+60123456789'), association: { status: 'none', iso: null } })
    expect((await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM staff'))!.n).toBe(before + 1)
    const [row] = await server.db.all<StaffDbRow>('SELECT * FROM staff WHERE dingtalk_user_id = ?', ['u-siti'])
    expect(row).toMatchObject({ id: session.staff.id, dingtalk_corp_id: fake.corpId, phone_e164: '+60123456789', locale: 'ms', association_status: 'none' })

    // the session works
    const me = await server.api('GET', '/api/me', { token: session.token })
    expect(me.json()).toMatchObject({ id: session.staff.id, name: 'Siti Nurhaliza' })
  })

  it('keeps the same staff member at later sign-ins and takes DingTalk’s new name and mobile', async () => {
    const first = (await signIn('u-siti')).json() as SessionInfo
    fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza binti Ahmad', stateCode: '60', mobile: '198765432', deptIds: [1] })
    const second = (await signIn('u-siti', { locale: 'th' })).json() as SessionInfo
    expect(second.staff.id).toBe(first.staff.id)
    expect(second.staff.name).toBe('Siti Nurhaliza binti Ahmad')
    expect(await server.db.all<StaffDbRow>('SELECT * FROM staff WHERE dingtalk_user_id = ?', ['u-siti'])).toEqual([
      expect.objectContaining({ id: first.staff.id, phone_e164: '+60198765432', locale: 'th' }),
    ])
  })

  it('keeps the known number when DingTalk does not share the mobile (no permission)', async () => {
    await signIn('u-siti')
    fake.mobilePermission = false
    expect((await signIn('u-siti')).statusCode).toBe(200)
    expect((await server.db.all<StaffDbRow>('SELECT * FROM staff WHERE dingtalk_user_id = ?', ['u-siti']))[0].phone_e164).toBe('+60123456789')
  })

  it('twenty staff signing in at once: one access token, twenty sessions, one staff member each', async () => {
    for (let i = 0; i < 20; i++) fake.addMember({ userid: `u-${i}`, name: `Staff ${i}`, stateCode: '65', mobile: `8123${String(4000 + i)}`, deptIds: [1] })
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(`u-${i}`)))
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200))
    expect(new Set(results.map((r) => (r.json() as SessionInfo).staff.id)).size).toBe(20)
    expect(fake.count('gettoken')).toBe(1)
  })

  it('the working language reported with later calls is remembered', async () => {
    const { token, staff } = (await signIn('u-siti')).json() as SessionInfo
    await server.api('GET', '/api/me', { token, headers: { 'x-workspace-locale': 'vi' } })
    expect((await server.db.all<StaffDbRow>('SELECT * FROM staff WHERE id = ?', [staff.id]))[0].locale).toBe('vi')
    // a value that is not a working language changes nothing
    await server.api('GET', '/api/me', { token, headers: { 'x-workspace-locale': 'klingon' } })
    expect((await server.db.all<StaffDbRow>('SELECT * FROM staff WHERE id = ?', [staff.id]))[0].locale).toBe('vi')
  })
})

describe('refusals, each with the project’s error code', () => {
  it('a code asked for another organisation than the server’s: 403 WRONG_ORGANIZATION, DingTalk not even asked', async () => {
    const res = await signIn('u-siti', { corpId: 'ding-someone-else' })
    expect(res.statusCode).toBe(403)
    expect(errorOf(res).code).toBe('WRONG_ORGANIZATION')
    expect(fake.count('getuserinfo')).toBe(0)
  })

  it('a code DingTalk issued in another organisation: 401 AUTH_CODE_INVALID', async () => {
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: fake.issueCode('u-siti', 'ding-someone-else'), corpId: fake.corpId } })
    expect(res.statusCode).toBe(401)
    expect(errorOf(res).code).toBe('AUTH_CODE_INVALID')
  })

  it('an expired code: 401 AUTH_CODE_INVALID, "reopen the workspace", not DingTalk’s errcode', async () => {
    const authCode = fake.issueCode('u-siti')
    fake.advance(6 * 60_000)
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode, corpId: fake.corpId } })
    expect(res.statusCode).toBe(401)
    const error = errorOf(res)
    expect(error.code).toBe('AUTH_CODE_INVALID')
    expect(error.message).toMatch(/reopen the workspace/)
    expect(res.body).not.toContain('40078')
  })

  it('a reused code: 401 AUTH_CODE_INVALID, whether DingTalk or the server sees the reuse first', async () => {
    const authCode = fake.issueCode('u-siti')
    expect((await server.api('POST', '/api/auth/dingtalk', { body: { authCode, corpId: fake.corpId } })).statusCode).toBe(200)
    const again = await server.api('POST', '/api/auth/dingtalk', { body: { authCode, corpId: fake.corpId } })
    expect(again.statusCode).toBe(401)
    expect(errorOf(again).message).toMatch(/reopen the workspace/)
    // a second server (another replica) that never saw the code: DingTalk itself refuses the reuse
    const other = await startWithDingTalk(fake)
    try {
      const res = await other.api('POST', '/api/auth/dingtalk', { body: { authCode, corpId: fake.corpId } })
      expect(res.statusCode).toBe(401)
      expect(errorOf(res).code).toBe('AUTH_CODE_INVALID')
    } finally {
      await other.close()
    }
  })

  it('a member who left the organisation: 403 NOT_IN_ORGANIZATION', async () => {
    const authCode = fake.issueCode('u-siti')
    fake.removeMember('u-siti')
    const res = await server.api('POST', '/api/auth/dingtalk', { body: { authCode, corpId: fake.corpId } })
    expect(res.statusCode).toBe(403)
    expect(errorOf(res).code).toBe('NOT_IN_ORGANIZATION')
  })

  it('a wrong app secret: 502 DINGTALK_MISCONFIGURED, the secret in no answer and no log line', async () => {
    const wrong = await startWithDingTalk(fake, { dingtalk: fake.settings({ appSecret: 'not-the-secret-0123' }) })
    try {
      const res = await wrong.signInAs('u-siti')
      expect(res.statusCode).toBe(502)
      expect(errorOf(res).code).toBe('DINGTALK_MISCONFIGURED')
      const everything = [res.body, ...wrong.logs].join('\n')
      expect(everything).not.toContain('not-the-secret-0123')
      expect(wrong.logs.join('\n')).toContain('40089')
    } finally {
      await wrong.close()
    }
  })

  it('DingTalk failing (5xx) after the retries: 503 DINGTALK_UNAVAILABLE', async () => {
    fake.fail('getuserinfo', '5xx', 10)
    const res = await signIn('u-siti')
    expect(res.statusCode).toBe(503)
    expect(errorOf(res).code).toBe('DINGTALK_UNAVAILABLE')
  })

  it('DingTalk not answering at all: 503 DINGTALK_UNAVAILABLE within the time limits', async () => {
    await server.close()
    server = await startWithDingTalk(fake, { dingtalk: fake.settings({ timeoutMs: 200 }) })
    fake.fail('gettoken', 'hang', 10)
    const started = Date.now()
    const res = await signIn('u-siti')
    expect(res.statusCode).toBe(503)
    expect(errorOf(res).code).toBe('DINGTALK_UNAVAILABLE')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('a code spent by an attempt whose answer was lost: 503 DINGTALK_UNAVAILABLE (sign in again), not "code already used"', async () => {
    await server.close()
    server = await startWithDingTalk(fake, { dingtalk: fake.settings({ timeoutMs: 300 }) })
    // DingTalk carries out the first getuserinfo (the code is spent) but its answer never arrives; the retry is refused 40078
    fake.fail('getuserinfo', 'lost-answer', 1)
    const res = await signIn('u-siti')
    expect(res.statusCode).toBe(503)
    expect(errorOf(res).code).toBe('DINGTALK_UNAVAILABLE')
    // the app's next try brings a fresh code, which works
    expect((await signIn('u-siti')).statusCode).toBe(200)
  })

  it('DingTalk’s frequency limit that does not pass: 503 DINGTALK_UNAVAILABLE', async () => {
    fake.fail('getuserinfo', 'rate-limit', 10)
    const res = await signIn('u-siti')
    expect(res.statusCode).toBe(503)
    expect(errorOf(res).code).toBe('DINGTALK_UNAVAILABLE')
  }, 15000)

  it('development codes and development sign-in stay refused in production mode', async () => {
    const dev = await server.api('POST', '/api/auth/dingtalk', { body: { authCode: 'dev:staff-chen', corpId: fake.corpId } })
    expect(dev.statusCode).toBe(401)
    expect((await server.api('POST', '/api/auth/dev', { body: { staffId: 'staff-chen' } })).statusCode).toBe(403)
  })
})

describe('membership: "I have joined Alipay Partners" asks DingTalk', () => {
  async function approvedStaff(): Promise<string> {
    const { token } = (await signIn('u-siti')).json() as SessionInfo
    const requested = await server.api('POST', '/api/association/requests', {
      token,
      body: { isoEmail: 'ops@lioncitypay.example', name: 'Siti Nurhaliza', phone: '+60 12-345 6789' },
    })
    expect(requested.statusCode).toBe(201)
    const [request] = await server.db.all<{ id: string }>("SELECT id FROM association_requests WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1")
    expect((await server.consolePost(`/console/requests/${request.id}/approve`, {})).statusCode).toBe(303)
    return token
  }

  it('refuses while DingTalk does not list the staff member in the ISO’s department, then accepts', async () => {
    expect((await server.consolePost('/console/isos/iso-lioncity/dingtalk-department', { dingtalkDeptId: '42' })).statusCode).toBe(303)
    const token = await approvedStaff()

    const refused = await server.api('POST', '/api/association/join', { token })
    expect(refused.statusCode).toBe(409)
    expect(errorOf(refused).code).toBe('NOT_IN_ORGANIZATION')
    expect((await server.api('GET', '/api/association', { token })).json()).toMatchObject({ status: 'approved' })

    // the staff member accepts the Org invitation in DingTalk: the ISO's department lists them
    fake.setDepartments('u-siti', [1, 42])
    const joined = await server.api('POST', '/api/association/join', { token })
    expect(joined.statusCode).toBe(200)
    expect(joined.json()).toMatchObject({ status: 'associated', iso: { id: 'iso-lioncity' } })
  })

  it('an ISO without a DingTalk department: DingTalk must still know the staff member', async () => {
    const token = await approvedStaff()
    fake.removeMember('u-siti')
    const refused = await server.api('POST', '/api/association/join', { token })
    expect(refused.statusCode).toBe(409)
    expect(errorOf(refused).code).toBe('NOT_IN_ORGANIZATION')
    fake.addMember({ userid: 'u-siti', name: 'Siti Nurhaliza', deptIds: [1] })
    expect((await server.api('POST', '/api/association/join', { token })).json()).toMatchObject({ status: 'associated' })
  })

  it('DingTalk down while joining: 503, and the staff member stays approved', async () => {
    const token = await approvedStaff()
    fake.fail('user/get', '5xx', 10)
    const res = await server.api('POST', '/api/association/join', { token })
    expect(res.statusCode).toBe(503)
    expect(errorOf(res).code).toBe('DINGTALK_UNAVAILABLE')
    expect((await server.api('GET', '/api/association', { token })).json()).toMatchObject({ status: 'approved' })
  })

  it('the ISO added the staff member in DingTalk (its department lists them): associated at the first sign-in', async () => {
    await server.consolePost('/console/isos/iso-nusantara/dingtalk-department', { dingtalkDeptId: '77' })
    fake.addMember({ userid: 'u-rahmat', name: 'Rahmat Hidayat', stateCode: '62', mobile: '8123456789', deptIds: [1, 77] })
    const session = (await signIn('u-rahmat')).json() as SessionInfo
    expect(session.staff.association).toMatchObject({ status: 'associated', iso: { id: 'iso-nusantara' } })
  })

  it('one department per ISO: the console refuses a department another ISO has', async () => {
    await server.consolePost('/console/isos/iso-lioncity/dingtalk-department', { dingtalkDeptId: '42' })
    const res = await server.consolePost('/console/isos/iso-nusantara/dingtalk-department', { dingtalkDeptId: '42' })
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain('already the department of Lion City')
    expect((await server.consolePost('/console/isos/iso-nusantara/dingtalk-department', { dingtalkDeptId: 'abc' })).statusCode).toBe(400)
  })
})
