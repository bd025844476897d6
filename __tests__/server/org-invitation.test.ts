/**
 * Issue 23 items 3, 6, 7, 8 on a production-mode server talking to the fake DingTalk:
 * - the request of a scanned QR goes to the QR's ISO: another ISO's email is refused, naming the ISO;
 * - the Phone No. must be the mobile DingTalk gave at sign-in (E.164); where DingTalk gave none, the ISO
 *   reviewer sees that it could not be compared;
 * - approval writes the Org invitation to a durable queue: the member found by mobile is added to the ISO's
 *   department (user/update), or created in it (user/create: DingTalk invites them); DingTalk's refusals wait
 *   for the reviewer with what to do, outages are tried again, nothing is lost;
 * - Check again: an unassociated staff member's state follows DingTalk without signing out.
 */
import type { LightMyRequestResponse } from 'fastify'
import type { AssociationState, SessionInfo } from '../../packages/contract/api'
import type { OrgInvitationRow } from '../../server/src/repo/org-invitations'
import { createDingTalkClient } from '../../server/src/dingtalk/client'
import { createRepos } from '../../server/src/repo'
import { createOrgInvitationService, type OrgInvitationService } from '../../server/src/services/org-invitations'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { expectNoSecrets, startWithDingTalk, type DingTalkTestServer } from './dingtalk-helpers'
import { errorOf } from './helpers'

const failure = (res: LightMyRequestResponse) => ({ status: res.statusCode, ...errorOf(res) })

const DEPT = 7001
const ISO = { id: 'iso-harbour', name: 'Harbour Payments Pte. Ltd.', email: 'ops@harbourpay.example' }
const OTHER = { id: 'iso-kampung', name: 'Kampung Pay Sdn. Bhd.', email: 'ops@kampungpay.example' }

let fake: FakeDingTalk
let server: DingTalkTestServer

async function addIso(iso: { id: string; name: string; email: string }, deptId: number | null, timezone = 'Asia/Singapore'): Promise<void> {
  await server.db.run(
    `INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at, dingtalk_dept_id, region)
     VALUES (?, ?, ?, 'VERIFY_THEN_DEPLOY', ?, 3, '2025-01-01T00:00:00.000Z', ?, 'SEA')`,
    [iso.id, iso.name, iso.email, timezone, deptId],
  )
}

beforeEach(async () => {
  fake = await new FakeDingTalk({ departments: [1, DEPT, 7002] }).start()
  // a member of the organisation (dept 1: everyone) whose DingTalk mobile is +65 9123 4567
  fake.addMember({ userid: 'u-mei', name: 'Tan Mei Ling', stateCode: '65', mobile: '91234567', deptIds: [1] })
  server = await startWithDingTalk(fake, { orgInvitations: { autoDispatch: false } })
  await addIso(ISO, DEPT)
  await addIso(OTHER, 7002, 'Asia/Kuala_Lumpur')
})

afterEach(async () => {
  await sender?.stop()
  sender = null
  expectNoSecrets(server.logs.join('\n'), fake)
  await server.close()
  await fake.stop()
})

async function signIn(userid = 'u-mei'): Promise<SessionInfo> {
  const res = await server.signInAs(userid)
  expect(res.statusCode).toBe(200)
  return res.json() as SessionInfo
}

const request = (token: string, body: Record<string, unknown>) => server.api('POST', '/api/association/requests', { token, body })
const invitation = (requestId: string) => server.db.get<OrgInvitationRow>('SELECT * FROM org_invitations WHERE request_id = ?', [requestId])

/** A sender of the queue, as a second server process would run it (the test's server does not send by itself). */
let sender: OrgInvitationService | null = null
function orgInvitations(): OrgInvitationService {
  sender ??= createOrgInvitationService({
    db: server.db,
    repos: createRepos(server.db),
    clock: server.clock,
    dingtalk: createDingTalkClient(fake.settings(), { retryDelaysMs: [5, 5] }),
    autoDispatch: false,
  })
  return sender
}

async function approve(token: string): Promise<string> {
  const state = (await server.api('GET', '/api/association', { token })).json() as AssociationState
  const id = state.request!.id
  const res = await server.consolePost(`/console/requests/${id}/approve`, {})
  expect(res.statusCode).toBe(303)
  return id
}

describe('the ISO of a scanned QR code', () => {
  it('is shown by name, and a request with another ISO’s email is refused naming the QR’s ISO; its own email is taken', async () => {
    const { token } = await signIn()
    expect((await server.api('GET', `/api/association/iso?id=${ISO.id}`, { token })).json()).toEqual({ id: ISO.id, name: ISO.name })
    expect(failure(await server.api('GET', '/api/association/iso?id=iso-nothing', { token }))).toMatchObject({ status: 404, code: 'ISO_UNKNOWN' })
    expect(failure(await server.api('GET', '/api/association/iso?id=%3Cscript%3E', { token }))).toMatchObject({ status: 404, code: 'ISO_UNKNOWN' })
    expect(failure(await server.api('GET', `/api/association/iso?id=${ISO.id}`, {}))).toMatchObject({ status: 401 })

    const wrong = await request(token, { isoEmail: OTHER.email, name: 'Tan Mei Ling', phone: '+65 9123 4567', isoId: ISO.id })
    expect(failure(wrong)).toMatchObject({ status: 422, code: 'ISO_EMAIL_MISMATCH', fields: { isoEmail: 'ISO_EMAIL_MISMATCH' } })
    expect(wrong.json().error.message).toContain(ISO.name)
    expect(
      await server.db.get('SELECT COUNT(*) AS n FROM association_requests WHERE staff_id = (SELECT id FROM staff WHERE dingtalk_user_id = ?)', ['u-mei']),
    ).toEqual({
      n: 0,
    })

    const ok = await request(token, { isoEmail: ISO.email.toUpperCase(), name: 'Tan Mei Ling', phone: '+65 9123 4567', isoId: ISO.id })
    expect(ok.statusCode).toBe(201)
    expect((ok.json() as AssociationState).request).toMatchObject({ isoName: ISO.name, status: 'pending' })
  })
})

describe('the phone number DingTalk knows', () => {
  it('refuses a Phone No. other than DingTalk’s mobile, and takes the same number however it is written (E.164)', async () => {
    const { token } = await signIn()
    const other = await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+65 8123 4567' })
    expect(failure(other)).toMatchObject({ status: 422, code: 'PHONE_NOT_DINGTALK', fields: { phone: 'PHONE_NOT_DINGTALK' } })
    const same = await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+6591234567' })
    expect(same.statusCode).toBe(201)
    expect(
      await server.db.get("SELECT phone_e164, phone_check FROM association_requests WHERE staff_id = (SELECT id FROM staff WHERE dingtalk_user_id = 'u-mei')"),
    ).toMatchObject({ phone_e164: '+6591234567', phone_check: 'matched' })
    const page = (await server.consoleGet('/console')).body
    expect(page).toContain('data-phone-check="matched"')
  })

  it('where DingTalk gives no mobile, takes the number and tells the ISO reviewer it could not be compared', async () => {
    fake.mobilePermission = false
    const { token } = await signIn()
    expect((await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+65 8123 4567' })).statusCode).toBe(201)
    const page = (await server.consoleGet('/console')).body
    expect(page).toContain('data-phone-check="not_compared"')
    expect(page).toContain('Not compared: DingTalk did not give this staff member’s mobile number')
  })
})

describe('the Org invitation', () => {
  it('adds the member DingTalk finds by mobile to the ISO’s department (keeping their others), then “I have joined” associates', async () => {
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+6591234567', isoId: ISO.id })
    const id = await approve(token)
    expect(await invitation(id)).toMatchObject({ status: 'PENDING', dept_id: DEPT, mobile_e164: '+6591234567' })
    // not yet in the department: joining is refused, as today
    expect(failure(await server.api('POST', '/api/association/join', { token, body: {} }))).toMatchObject({ code: 'NOT_IN_ORGANIZATION' })

    await orgInvitations().dispatchDue()
    expect(fake.count('getbymobile')).toBe(1)
    expect(fake.member('u-mei')?.deptIds).toEqual([1, DEPT])
    expect(await invitation(id)).toMatchObject({ status: 'DONE', outcome: 'added', dingtalk_user_id: 'u-mei' })
    expect((await server.consoleGet('/console')).body).toContain('Added to the ISO’s DingTalk department')
    const joined = (await server.api('POST', '/api/association/join', { token, body: {} })).json() as AssociationState
    expect(joined).toMatchObject({ status: 'associated', iso: { id: ISO.id } })

    // one invitation per approval, however often the sender runs
    await orgInvitations().dispatchDue()
    expect(fake.count('getbymobile')).toBe(1)
  })

  it('creates a member DingTalk does not know in the ISO’s department (name, +cc-number mobile): DingTalk sends the invitation', async () => {
    fake.mobilePermission = false // DingTalk gives no mobile: the typed one is taken
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+60 12-345 6789' })
    const id = await approve(token)
    await orgInvitations().dispatchDue()
    expect(fake.invitations).toEqual([
      expect.objectContaining({ kind: 'created', name: 'Tan Mei Ling', stateCode: '60', mobile: '123456789', deptIds: [DEPT] }),
    ])
    expect(await invitation(id)).toMatchObject({ status: 'DONE', outcome: 'created', dingtalk_user_id: fake.invitations[0].userid })
  })

  it('a protected account (40103): DingTalk asked the person to accept; recorded as such', async () => {
    fake.mobilePermission = false
    fake.protectedMobiles.add('60-123456789')
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+60123456789' })
    const id = await approve(token)
    await orgInvitations().dispatchDue()
    expect(await invitation(id)).toMatchObject({ status: 'DONE', outcome: 'consent' })
    expect((await server.consoleGet('/console')).body).toContain('DingTalk asked the staff member to accept the invitation')
  })

  it('DingTalk down: tried again later from the queue, then taken; nothing lost', async () => {
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+6591234567' })
    const id = await approve(token)
    fake.fail('getbymobile', '5xx', 3) // the client's three attempts
    await orgInvitations().dispatchDue()
    const waiting = await invitation(id)
    expect(waiting).toMatchObject({ status: 'PENDING', problem: 'unavailable', attempts: 1 })
    expect(waiting!.next_attempt_at > waiting!.created_at).toBe(true)
    expect((await server.consoleGet('/console')).body).toContain('DingTalk did not answer. The server keeps trying by itself')
    // before its time nothing is asked; after it, the invitation is taken
    await orgInvitations().dispatchDue()
    expect(fake.count('getbymobile')).toBe(3)
    server.clock.set(new Date(new Date(waiting!.next_attempt_at).getTime() + 1000).toISOString())
    await orgInvitations().dispatchDue()
    expect(await invitation(id)).toMatchObject({ status: 'DONE', outcome: 'added' })
  })

  it('no permission: shown with what the operator must do, and tried again every hour', async () => {
    fake.contactsPermission = false
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+6591234567' })
    const id = await approve(token)
    await orgInvitations().dispatchDue()
    expect(await invitation(id)).toMatchObject({ status: 'PENDING', problem: 'no_permission', errcode: 60011 })
    expect((await server.consoleGet('/console')).body).toContain('The app is missing a DingTalk permission')
    fake.contactsPermission = true
    server.clock.set(new Date(server.clock.now().getTime() + 61 * 60_000).toISOString())
    await orgInvitations().dispatchDue()
    expect(await invitation(id)).toMatchObject({ status: 'DONE' })
  })

  it('mobile already used in the organisation (60104): waits for the reviewer with what to do, not tried again by itself; “Try again” sends it', async () => {
    fake.mobilePermission = false
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+6581234567' })
    const id = await approve(token)
    // 0013-server-api-error-codes-1.md: 60104 手机号码在公司中已存在
    fake.fail('user/create', { errcode: 60104, errmsg: '手机号码在公司中已存在' })
    await orgInvitations().dispatchDue()
    const row = (await invitation(id))!
    expect(row).toMatchObject({ status: 'ATTENTION', problem: 'mobile_taken', errcode: 60104 })
    const page = (await server.consoleGet('/console')).body
    expect(page).toContain('DingTalk has this mobile number for another member of the organisation')
    expect(page).toContain('(DingTalk errcode 60104)')
    server.clock.set(new Date(server.clock.now().getTime() + 24 * 60 * 60_000).toISOString())
    await orgInvitations().dispatchDue()
    expect(fake.count('user/create')).toBe(1)
    // the administrator freed the number; the reviewer tries again
    expect((await server.consolePost(`/console/org-invitations/${row.id}/retry`, {})).statusCode).toBe(303)
    await orgInvitations().dispatchDue()
    expect(await invitation(id)).toMatchObject({ status: 'DONE', outcome: 'created' })
    expect(fake.invitations).toEqual([expect.objectContaining({ kind: 'created', stateCode: '65', mobile: '81234567', deptIds: [DEPT] })])
  })

  it('the department missing: waits for the reviewer with what to do; “Try again” (audited) sends it', async () => {
    fake.mobilePermission = false
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+6581234567' })
    await server.db.run('UPDATE isos SET dingtalk_dept_id = 7999 WHERE id = ?', [ISO.id]) // a department DingTalk does not have
    const id = await approve(token)
    await orgInvitations().dispatchDue()
    const row = (await invitation(id))!
    expect(row).toMatchObject({ status: 'ATTENTION', problem: 'department_missing', errcode: 60003 })
    let page = (await server.consoleGet('/console')).body
    expect(page).toContain(`data-org-invitation-id="${row.id}"`)
    expect(page).toContain('The ISO’s DingTalk department does not exist')
    // nothing is tried again by itself
    await orgInvitations().dispatchDue()
    expect(fake.count('user/create')).toBe(1)

    // the administrator sets the right department; someone else in the organisation has the number meanwhile
    await server.db.run('UPDATE isos SET dingtalk_dept_id = ? WHERE id = ?', [DEPT, ISO.id])
    fake.addMember({ userid: 'u-other', name: 'Someone Else', stateCode: '65', mobile: '81234567', deptIds: [1] })
    const retry = await server.consolePost(`/console/org-invitations/${row.id}/retry`, {})
    expect(retry.statusCode).toBe(303)
    expect(await server.db.get("SELECT action FROM audit_log WHERE action = 'org_invitation.retry' AND subject_id = ?", [id])).toEqual({
      action: 'org_invitation.retry',
    })
    await orgInvitations().dispatchDue()
    // found by mobile: added to the department (the reviewer sees the outcome; the member is who DingTalk says)
    expect(await invitation(id)).toMatchObject({ status: 'DONE', outcome: 'added', dingtalk_user_id: 'u-other', dept_id: DEPT })
    // a second "Try again" on a done invitation is refused
    expect((await server.consolePost(`/console/org-invitations/${row.id}/retry`, {})).statusCode).toBe(409)
    page = (await server.consoleGet('/console')).body
    expect(page).not.toContain(`data-org-invitation-id="${row.id}"`)
  })
})

describe('Check again', () => {
  it('associates an approved staff member who joined in DingTalk since signing in, without a new sign-in', async () => {
    const { token } = await signIn()
    await request(token, { isoEmail: ISO.email, name: 'Tan Mei Ling', phone: '+6591234567' })
    await approve(token)
    const before = (await server.api('POST', '/api/association/check', { token, body: {} })).json() as AssociationState
    expect(before.status).toBe('approved')
    fake.setDepartments('u-mei', [1, DEPT]) // accepted the Org invitation
    const after = (await server.api('POST', '/api/association/check', { token, body: {} })).json() as AssociationState
    expect(after).toMatchObject({ status: 'associated', iso: { id: ISO.id } })
  })

  it('associates a staff member without a request whom an ISO added to its department', async () => {
    const { token } = await signIn()
    fake.setDepartments('u-mei', [1, 7002])
    expect((await server.api('POST', '/api/association/check', { token, body: {} })).json()).toMatchObject({ status: 'associated', iso: { id: OTHER.id } })
  })

  it('DingTalk down: a clear error, the state unchanged', async () => {
    const { token } = await signIn()
    fake.fail('user/get', '5xx', 3)
    expect(failure(await server.api('POST', '/api/association/check', { token, body: {} }))).toMatchObject({ status: 503, code: 'DINGTALK_UNAVAILABLE' })
    expect(((await server.api('GET', '/api/association', { token })).json() as AssociationState).status).toBe('none')
  })
})
