/**
 * The deployment method is agreed, not set (issue 23, item 4): an ISO starts with no method agreed and the
 * server refuses its promotions; its reviewer proposes, the coordinator of its region agrees or declines with a
 * reason, each step audited and sent to the other side as a DingTalk work notification; a change of an agreed
 * method goes through the same steps, and drafts started under the old method are accepted for the grace period.
 */
import type { StaffProfile } from '../../packages/contract/api'
import type { WorkspaceInfo } from '../../packages/contract/promotion'
import { METHOD_GRACE_DAYS } from '../../packages/contract/rules/method-agreement'
import type { AuditRow } from '../../server/src/repo/audit'
import { DICTIONARIES } from '../../src/i18n/all'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { startWithDingTalk, type DingTalkTestServer } from './dingtalk-helpers'
import { addConsoleAccount, DEV_ACCOUNT, errorOf } from './helpers'
import { createPromotion, evidence, passedVerifications, promotionBody } from './promotion-fixtures'

let fake: FakeDingTalk
let server: DingTalkTestServer
const CONSOLE_URL = 'https://workspace.example.com'

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const audit = (): Promise<AuditRow[]> => server.db.all<AuditRow>("SELECT * FROM audit_log WHERE action LIKE 'iso.method.%' ORDER BY seq")
const accountId = async (username: string) => (await server.db.get<{ id: string }>('SELECT id FROM console_accounts WHERE username = ?', [username]))!.id
const workspace = async (token: string) => (await server.api('GET', '/api/workspace', { token })).json() as WorkspaceInfo
const expect303 = (res: { statusCode: number; body: string }) => expect([res.statusCode, res.statusCode === 303 ? '' : res.body.slice(-600)]).toEqual([303, ''])

/** An administrator gives an account its DingTalk user (and card language), through the console. */
async function setDingTalkUser(username: string, userid: string, locale: string) {
  expect303(await server.consolePost(`/console/accounts/${await accountId(username)}/dingtalk`, { dingtalkUserId: userid, locale }))
  fake.addMember({ userid, name: username, deptIds: [1] })
}

beforeEach(async () => {
  fake = await new FakeDingTalk().start()
  server = await startWithDingTalk(fake, { dev: true, notifications: { pollMs: 50, consoleUrl: CONSOLE_URL } })
})

afterEach(async () => {
  await server.close()
  await fake.stop()
})

describe('a new ISO: nothing agreed, then proposed and agreed', () => {
  let chen: string
  beforeEach(async () => {
    // an ISO as production starts it: no method agreed (method_agreed_at NULL); Chen Wei is its staff member
    await server.db.run(
      `INSERT INTO isos (id, name, email, deployment_method, timezone, max_spots_per_store, created_at, region)
       VALUES ('iso-new', 'Merlion Acquiring', 'ops@merlion.example', 'VERIFY_THEN_DEPLOY', 'Asia/Singapore', 4, '2025-03-01T00:00:00.000Z', 'SEA')`,
    )
    await server.db.run("UPDATE staff SET iso_id = 'iso-new' WHERE id = 'staff-chen'")
    await addConsoleAccount(server, { username: 'merlion', name: 'Merlion reviewer', role: 'iso_reviewer', isoId: 'iso-new', password: 'console' })
    chen = await server.signIn('staff-chen')
  })

  it('refuses promotions until a method is agreed, and says why', async () => {
    expect(await workspace(chen)).toMatchObject({ methodAgreement: { status: 'NOT_AGREED', agreed: null, proposal: null } })
    const me = (await server.api('GET', '/api/me', { token: chen })).json() as StaffProfile
    expect(me.association.iso).toEqual({ id: 'iso-new', name: 'Merlion Acquiring', deploymentMethod: null })

    const submitted = await server.api('POST', '/api/promotions', { token: chen, body: await promotionBody(server, chen) })
    expect([submitted.statusCode, errorOf(submitted).code]).toEqual([403, 'METHOD_NOT_AGREED'])
    const verified = await server.api('POST', '/api/payment-verifications', { token: chen, body: await evidence(server, chen, 'MPM') })
    expect([verified.statusCode, errorOf(verified).code]).toEqual([403, 'METHOD_NOT_AGREED'])
    // the code is translated in every working language
    for (const dictionary of Object.values(DICTIONARIES)) expect(dictionary['error.METHOD_NOT_AGREED']).toBeTruthy()
    expect(await server.db.get("SELECT COUNT(*) AS n FROM promotions WHERE iso_id = 'iso-new'")).toEqual({ n: 0 })
  })

  it('the ISO reviewer proposes, the region’s coordinator agrees: audited, each side notified, then promotions go through', async () => {
    await setDingTalkUser(DEV_ACCOUNT.coordinator, 'u-coordinator', 'en')
    await setDingTalkUser('merlion', 'u-merlion', 'zh-CN')

    const reviewer = server.consoleAs('merlion', 'console')
    expect303(await reviewer.post('/console/isos/iso-new/method/propose', { method: 'DEPLOY_THEN_VERIFY' }))
    expect(await workspace(chen)).toMatchObject({ methodAgreement: { status: 'PROPOSED', agreed: null, proposal: 'DEPLOY_THEN_VERIFY' } })
    // proposed is not agreed: still refused
    expect(errorOf(await server.api('POST', '/api/promotions', { token: chen, body: await promotionBody(server, chen) })).code).toBe('METHOD_NOT_AGREED')

    await until(() => fake.delivered('u-coordinator').length === 1, 'the card to the coordinator')
    const proposed = fake.delivered('u-coordinator')[0].msg.action_card!
    expect(proposed).toMatchObject({ title: DICTIONARIES.en['notify.method.proposed.title'], single_url: `${CONSOLE_URL}/console/method#iso-iso-new` })
    expect(proposed.markdown).toContain('Merlion Acquiring')
    expect(proposed.markdown).toContain('Deploy-Then-Verify')

    const coordinator = server.consoleAs(DEV_ACCOUNT.coordinator)
    const page = (await coordinator.get('/console/method')).body
    expect(page).toMatch(/data-iso-id="iso-new" data-method-status="PROPOSED"/)
    expect(page).toContain('proposed by Merlion reviewer')
    expect303(await coordinator.post('/console/isos/iso-new/method/agree', { method: 'DEPLOY_THEN_VERIFY' }))

    await until(() => fake.delivered('u-merlion').length === 1, 'the card to the ISO reviewer')
    const agreed = fake.delivered('u-merlion')[0].msg.action_card!
    expect(agreed.title).toBe(DICTIONARIES['zh-CN']['notify.method.agreed.title'])
    expect(agreed.markdown).toContain(DICTIONARIES['zh-CN']['method.DEPLOY_THEN_VERIFY'])

    expect(await audit()).toEqual([
      expect.objectContaining({
        action: 'iso.method.propose',
        actor_role: 'iso_reviewer',
        iso_id: 'iso-new',
        before_json: JSON.stringify({ status: 'NOT_AGREED', agreed: null, proposal: null }),
        after_json: JSON.stringify({ status: 'PROPOSED', agreed: null, proposal: 'DEPLOY_THEN_VERIFY' }),
      }),
      expect.objectContaining({ action: 'iso.method.agree', actor_role: 'coordinator', iso_id: 'iso-new' }),
    ])
    expect(JSON.parse((await audit())[1].after_json!)).toMatchObject({ status: 'AGREED', agreed: 'DEPLOY_THEN_VERIFY', proposal: null, previous: null })
    const accountAudit = await server.db.all<AuditRow>("SELECT * FROM audit_log WHERE action = 'account.dingtalk'")
    expect(accountAudit.map((r) => JSON.parse(r.after_json!))).toEqual([
      { dingtalkUserId: 'u-coordinator', locale: 'en' },
      { dingtalkUserId: 'u-merlion', locale: 'zh-CN' },
    ])

    expect(await workspace(chen)).toMatchObject({ method: 'DEPLOY_THEN_VERIFY', methodAgreement: { status: 'AGREED', agreed: 'DEPLOY_THEN_VERIFY' } })
    const created = await createPromotion(server, chen, await promotionBody(server, chen))
    expect(created).toMatchObject({ method: 'DEPLOY_THEN_VERIFY', status: 'AWAITING_PAYMENT_VERIFICATION' })
  })

  it('declined with a reason goes back to the ISO, which proposes again', async () => {
    await setDingTalkUser('merlion', 'u-merlion', 'en')
    const reviewer = server.consoleAs('merlion', 'console')
    const coordinator = server.consoleAs(DEV_ACCOUNT.coordinator)
    expect303(await reviewer.post('/console/isos/iso-new/method/propose', { method: 'DEPLOY_THEN_VERIFY' }))
    // the coordinator has no DingTalk user: the notification is recorded as not sent, with why (the console shows the proposal)
    const coordinatorId = await accountId(DEV_ACCOUNT.coordinator)
    expect(await server.db.get('SELECT status, last_error, kind FROM notifications WHERE console_account_id = ?', [coordinatorId])).toEqual({
      status: 'SKIPPED',
      last_error: 'The console account has no DingTalk user (an administrator sets it in /console/method).',
      kind: 'METHOD_PROPOSED',
    })
    expect((await server.consoleGet('/console/notifications')).body).toContain('SEA regional coordinator')

    // no reason: refused, with the form kept
    const empty = await coordinator.post('/console/isos/iso-new/method/decline', { reason: '   ' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter a reason: the ISO sees it and can propose again.')
    expect(await workspace(chen)).toMatchObject({ methodAgreement: { status: 'PROPOSED' } })

    expect303(await coordinator.post('/console/isos/iso-new/method/decline', { reason: 'Stores in this market must be verified first.' }))
    expect(await workspace(chen)).toMatchObject({
      methodAgreement: { status: 'DECLINED', agreed: null, proposal: 'DEPLOY_THEN_VERIFY', declineReason: 'Stores in this market must be verified first.' },
    })
    expect(errorOf(await server.api('POST', '/api/promotions', { token: chen, body: await promotionBody(server, chen) })).code).toBe('METHOD_NOT_AGREED')
    await until(() => fake.delivered('u-merlion').length === 1, 'the card to the ISO reviewer')
    const declined = fake.delivered('u-merlion')[0].msg.action_card!
    expect(declined.title).toBe(DICTIONARIES.en['notify.method.declined.title'])
    expect(declined.markdown).toContain('Stores in this market must be verified first.')
    expect((await audit()).at(-1)).toMatchObject({
      action: 'iso.method.decline',
      actor_role: 'coordinator',
      reason: 'Stores in this market must be verified first.',
    })
    // deciding again: nothing awaits the coordinator
    expect((await coordinator.post('/console/isos/iso-new/method/agree', { method: 'DEPLOY_THEN_VERIFY' })).statusCode).toBe(409)

    const page = (await reviewer.get('/console/method')).body
    expect(page).toContain('Stores in this market must be verified first.')
    expect303(await reviewer.post('/console/isos/iso-new/method/propose', { method: 'VERIFY_THEN_DEPLOY' }))
    // the coordinator's page showed the older proposal: agreeing to it is refused, not applied to the new one
    expect((await coordinator.post('/console/isos/iso-new/method/agree', { method: 'DEPLOY_THEN_VERIFY' })).statusCode).toBe(409)
    expect303(await coordinator.post('/console/isos/iso-new/method/agree', { method: 'VERIFY_THEN_DEPLOY' }))
    expect(await workspace(chen)).toMatchObject({ method: 'VERIFY_THEN_DEPLOY', methodAgreement: { status: 'AGREED', declineReason: null } })
  })

  it('only that ISO’s reviewer proposes, only that region’s coordinator agrees or declines', async () => {
    await addConsoleAccount(server, { username: 'eu-coordinator', name: 'EU coordinator', role: 'coordinator', region: 'EU', password: 'console' })
    const others = [DEV_ACCOUNT.lioncity, DEV_ACCOUNT.coordinator, DEV_ACCOUNT.admin, DEV_ACCOUNT.alipay, 'eu-coordinator']
    for (const username of others) {
      const client = server.consoleAs(username, username === 'eu-coordinator' ? 'console' : undefined)
      expect([username, (await client.post('/console/isos/iso-new/method/propose', { method: 'VERIFY_THEN_DEPLOY' })).statusCode]).toEqual([username, 403])
    }
    const reviewer = server.consoleAs('merlion', 'console')
    expect303(await reviewer.post('/console/isos/iso-new/method/propose', { method: 'VERIFY_THEN_DEPLOY' }))
    for (const username of ['merlion', DEV_ACCOUNT.lioncity, DEV_ACCOUNT.admin, DEV_ACCOUNT.alipay, 'eu-coordinator']) {
      const client = server.consoleAs(username, ['merlion', 'eu-coordinator'].includes(username) ? 'console' : undefined)
      expect([username, (await client.post('/console/isos/iso-new/method/agree', { method: 'VERIFY_THEN_DEPLOY' })).statusCode]).toEqual([username, 403])
      expect([username, (await client.post('/console/isos/iso-new/method/decline', { reason: 'No.' })).statusCode]).toEqual([username, 403])
    }
    expect(await workspace(chen)).toMatchObject({ methodAgreement: { status: 'PROPOSED', agreed: null } })
    expect((await audit()).map((r) => r.action)).toEqual(['iso.method.propose'])
    // each sees only the ISOs of their scope
    const lionPage = (await server.consoleAs(DEV_ACCOUNT.lioncity).get('/console/method')).body
    expect(lionPage).toContain('data-iso-id="iso-lioncity"')
    expect(lionPage).not.toContain('Merlion Acquiring')
    expect((await server.consoleAs('eu-coordinator', 'console').get('/console/method')).body).toContain('No ISO is in your scope.')
    expect((await server.consoleAs(DEV_ACCOUNT.alipay).get('/console/method')).statusCode).toBe(403)
  })
})

describe('a change of an agreed method', () => {
  it('keeps the agreed method in force until the change is agreed; drafts started under it are accepted for the grace period, then refused with METHOD_CHANGED', async () => {
    let chen = await server.signIn('staff-chen') // Lion City: Verify-Then-Deploy, agreed (the demo seed)
    const reviewer = server.consoleAs(DEV_ACCOUNT.lioncity)
    const coordinator = server.consoleAs(DEV_ACCOUNT.coordinator)
    // the reviewer cannot "propose" what is agreed already
    expect((await reviewer.post('/console/isos/iso-lioncity/method/propose', { method: 'VERIFY_THEN_DEPLOY' })).statusCode).toBe(409)
    expect303(await reviewer.post('/console/isos/iso-lioncity/method/propose', { method: 'DEPLOY_THEN_VERIFY' }))
    expect(await workspace(chen)).toMatchObject({
      method: 'VERIFY_THEN_DEPLOY',
      methodAgreement: { status: 'PROPOSED', agreed: 'VERIFY_THEN_DEPLOY', proposal: 'DEPLOY_THEN_VERIFY' },
    })
    // proposed, not agreed: Verify-Then-Deploy still applies
    const before = await createPromotion(server, chen, await promotionBody(server, chen, { paymentVerificationIds: await passedVerifications(server, chen) }))
    expect(before).toMatchObject({ method: 'VERIFY_THEN_DEPLOY', status: 'PENDING_REVIEW' })
    // a draft started now, under Verify-Then-Deploy: its payment is verified before the change is agreed
    const oldDraftVerifications = await passedVerifications(server, chen)

    const agreedAt = server.clock.now()
    expect303(await coordinator.post('/console/isos/iso-lioncity/method/agree', { method: 'DEPLOY_THEN_VERIFY' }))
    const until = new Date(agreedAt.getTime() + METHOD_GRACE_DAYS * 86_400_000).toISOString()
    expect(await workspace(chen)).toMatchObject({
      method: 'DEPLOY_THEN_VERIFY',
      methodAgreement: { status: 'AGREED', agreed: 'DEPLOY_THEN_VERIFY', previous: { method: 'VERIFY_THEN_DEPLOY', acceptedUntil: until } },
    })

    // within the grace period: the old draft is submitted as it was started (its verifications count)...
    const old = await createPromotion(
      server,
      chen,
      await promotionBody(server, chen, { paymentVerificationIds: oldDraftVerifications }).then((b) => ({ ...b, method: 'VERIFY_THEN_DEPLOY' })),
    )
    expect(old).toMatchObject({ method: 'VERIFY_THEN_DEPLOY', status: 'PENDING_REVIEW' })
    // ...its payment can still be verified first, and a new draft follows the new method
    expect((await server.api('POST', '/api/payment-verifications', { token: chen, body: await evidence(server, chen, 'MPM') })).statusCode).toBe(200)
    const fresh = await createPromotion(server, chen, { ...(await promotionBody(server, chen)), method: 'DEPLOY_THEN_VERIFY' })
    expect(fresh).toMatchObject({ method: 'DEPLOY_THEN_VERIFY', status: 'AWAITING_PAYMENT_VERIFICATION' })

    // after the grace period: refused with what to do, never silently
    server.clock.set(new Date(agreedAt.getTime() + (METHOD_GRACE_DAYS + 1) * 86_400_000))
    chen = await server.signIn('staff-chen')
    const late = await promotionBody(server, chen, { paymentVerificationIds: await Promise.resolve([]) })
    const refused = await server.api('POST', '/api/promotions', { token: chen, body: { ...late, method: 'VERIFY_THEN_DEPLOY' } })
    expect([refused.statusCode, errorOf(refused).code, errorOf(refused).fields]).toEqual([409, 'METHOD_CHANGED', { method: 'METHOD_CHANGED' }])
    const lateVerify = await server.api('POST', '/api/payment-verifications', { token: chen, body: await evidence(server, chen, 'MPM') })
    expect([lateVerify.statusCode, errorOf(lateVerify).code]).toEqual([409, 'METHOD_CHANGED'])
    // the same draft moved to the new method's steps (everything in it kept) goes through
    const moved = await createPromotion(server, chen, { ...late, method: 'DEPLOY_THEN_VERIFY' })
    expect(moved).toMatchObject({ method: 'DEPLOY_THEN_VERIFY', status: 'AWAITING_PAYMENT_VERIFICATION', clientId: late.clientId })
    for (const dictionary of Object.values(DICTIONARIES)) expect(dictionary['error.METHOD_CHANGED']).toBeTruthy()
  })
})
