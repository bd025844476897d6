/**
 * Work notifications for each decision made in /console, arriving at the fake DingTalk: association
 * approved and rejected, a promotion's review approved and rejected, an appeal accepted and rejected, a
 * Verification Task assigned. A DingTalk outage never holds up a decision; /console shows the log.
 */
import type { PromotionDetail } from '../../packages/contract/results'
import { DICTIONARIES } from '../../src/i18n/all'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { expectNoSecrets, startWithDingTalk, type DingTalkTestServer } from './dingtalk-helpers'
import { uploadPhoto } from './promotion-fixtures'
import { appeal, review, submit } from './results-fixtures'

let fake: FakeDingTalk
let server: DingTalkTestServer

/** Seeded staff members with a DingTalk account, each in a working language. */
const MEMBERS = [
  { staffId: 'staff-chen', userid: 'u-chen', locale: 'zh-CN' },
  { staffId: 'staff-emily', userid: 'u-emily', locale: 'en' },
  { staffId: 'staff-aisyah', userid: 'u-aisyah', locale: 'ms' },
] as const

beforeEach(async () => {
  fake = await new FakeDingTalk().start()
  // development mode (seeded staff, development sign-in) with DingTalk configured: notifications are sent
  server = await startWithDingTalk(fake, { dev: true, notifications: { pollMs: 50 } })
  for (const m of MEMBERS) {
    fake.addMember({ userid: m.userid, name: m.staffId, deptIds: [1] })
    await server.db.run('UPDATE staff SET dingtalk_corp_id = ?, dingtalk_user_id = ?, locale = ? WHERE id = ?', [fake.corpId, m.userid, m.locale, m.staffId])
  }
})

afterEach(async () => {
  expectNoSecrets(server.logs.join('\n'), fake)
  await server.close()
  await fake.stop()
})

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The cards delivered to a member, waiting for `count` of them. */
async function cards(userid: string, count: number) {
  await until(() => fake.delivered(userid).length >= count, `${count} card(s) for ${userid}`)
  await new Promise((r) => setTimeout(r, 150)) // and no more than that
  return fake.delivered(userid).map((m) => m.msg.action_card!)
}

describe('a card per decision, in the staff member’s language, opening the right page', () => {
  it('association approved (English) and rejected (Malay)', async () => {
    expect((await server.consolePost('/console/requests/req-seed-emily/approve', {})).statusCode).toBe(303)
    const [approved] = await cards('u-emily', 1)
    expect(approved).toMatchObject({ title: DICTIONARIES.en['notify.association.approved.title'], single_url: 'eapp://pages/associate/index' })
    expect(approved.markdown).toContain('Nusantara Merchant Services')

    const aisyah = await server.signIn('staff-aisyah')
    await server.api('POST', '/api/association/requests', {
      token: aisyah,
      body: { isoEmail: 'ops@lioncitypay.example', name: 'Aisyah Rahman', phone: '+60 12-345 6789' },
    })
    const [request] = await server.db.all<{ id: string }>("SELECT id FROM association_requests WHERE staff_id = 'staff-aisyah'")
    expect((await server.consolePost(`/console/requests/${request.id}/reject`, { reason: 'The phone number is not the one we know.' })).statusCode).toBe(303)
    const [rejected] = await cards('u-aisyah', 1)
    expect(rejected.title).toBe(DICTIONARIES.ms['notify.association.rejected.title'])
    expect(rejected.markdown).toContain('The phone number is not the one we know.')
  })

  it('a promotion approved, another rejected, an appeal rejected and one accepted (Simplified Chinese)', async () => {
    const chen = await server.signIn('staff-chen')
    const approved = await submit(server, chen, 'staff-chen', { spots: 1, store: { name: 'Kopi Corner' } })
    await review(server, approved.id, 'approve', ['approve'])
    const rejected = await submit(server, chen, 'staff-chen', { spots: 2, store: { name: 'Laksa House' } })
    await review(server, rejected.id, 'approve', ['approve', 'reject'])
    const [first, second] = await cards('u-chen', 2)
    expect(first).toMatchObject({
      title: DICTIONARIES['zh-CN']['notify.promotion.approved.title'],
      single_url: `eapp://pages/results/detail/index?id=${approved.id}`,
    })
    expect(first.markdown).toContain('Kopi Corner')
    expect(second).toMatchObject({
      title: DICTIONARIES['zh-CN']['notify.promotion.rejected.title'],
      single_url: `eapp://pages/results/detail/index?id=${rejected.id}`,
    })

    // a spot decided alone does not notify: only the promotion's complete review does
    const third = await submit(server, chen, 'staff-chen', { spots: 1, store: { name: 'Roti Stall' } })
    expect((await server.consolePost(`/console/promotions/${third.id}/store/approve`, {})).statusCode).toBe(303)
    await new Promise((r) => setTimeout(r, 200))
    expect(fake.delivered('u-chen')).toHaveLength(2)

    const appealed = async () => {
      const res = await appeal(server, chen, rejected.id, {
        reason: 'The sticker is on the counter, see the new photo.',
        photoIds: [await uploadPhoto(server, chen)],
      })
      return (res.json() as PromotionDetail).appeals.find((a) => a.status === 'OPEN')!.id
    }
    const firstAppeal = await appealed()
    expect((await server.consolePost(`/console/promotions/${rejected.id}/appeals/${firstAppeal}/reject`, { reason: 'Still not visible.' })).statusCode).toBe(
      303,
    )
    const secondAppeal = await appealed()
    expect((await server.consolePost(`/console/promotions/${rejected.id}/appeals/${secondAppeal}/accept`, {})).statusCode).toBe(303)
    const all = await cards('u-chen', 4)
    expect(all[2]).toMatchObject({
      title: DICTIONARIES['zh-CN']['notify.appeal.rejected.title'],
      single_url: `eapp://pages/results/detail/index?id=${rejected.id}`,
    })
    expect(all[2].markdown).toContain('Still not visible.')
    expect(all[3].title).toBe(DICTIONARIES['zh-CN']['notify.appeal.accepted.title'])
  })

  it('a Verification Task assigned', async () => {
    expect((await server.consolePost('/console/inspections', { promotionId: 'prm-seed-kopi', staffId: 'staff-chen', dueDate: '2025-03-20' })).statusCode).toBe(
      303,
    )
    const [card] = await cards('u-chen', 1)
    const [task] = await server.db.all<{ id: string }>("SELECT id FROM inspection_tasks WHERE staff_id = 'staff-chen' AND id NOT LIKE 'ins-seed-%'")
    expect(card).toMatchObject({
      title: DICTIONARIES['zh-CN']['notify.inspection.assigned.title'],
      single_url: `eapp://pages/inspection/task/index?id=${task.id}`,
    })
  })
})

describe('DingTalk down', () => {
  it('the decision is made at once; the card follows when DingTalk is back, once; /console shows the log', async () => {
    await server.close()
    server = await startWithDingTalk(fake, { dev: true, notifications: { pollMs: 50 }, dingtalk: fake.settings({ timeoutMs: 300 }) })
    await server.db.run('UPDATE staff SET dingtalk_corp_id = ?, dingtalk_user_id = ?, locale = ? WHERE id = ?', [fake.corpId, 'u-emily', 'en', 'staff-emily'])
    fake.fail('asyncsend_v2', 'hang', 3)

    expect((await server.consolePost('/console/requests/req-seed-emily/approve', {})).statusCode).toBe(303)
    // answered before DingTalk's outcome: the card's attempt (three tries of 300 ms and the pauses between them) has
    // not ended, so nothing about it is recorded yet
    const card = await server.db.get<{ last_error: string | null }>("SELECT last_error FROM notifications WHERE event_key = 'association:req-seed-emily'")
    expect(card).toEqual({ last_error: null })
    expect(fake.count('asyncsend_v2')).toBeLessThan(3)
    expect((await server.api('GET', '/api/association', { token: await server.signIn('staff-emily') })).json()).toMatchObject({ status: 'approved' })

    await until(
      async () =>
        (await server.db.get<{ status: string }>("SELECT status FROM notifications WHERE event_key = 'association:req-seed-emily'"))?.status === 'PENDING' &&
        fake.count('asyncsend_v2') === 3,
      'the failed attempt recorded',
    )
    const log = (await server.consoleGet('/console/notifications')).body
    expect(log).toMatch(/data-status="PENDING"/)
    expect(log).toContain('no answer within 300 ms')
    expect(fake.delivered()).toHaveLength(0)

    server.clock.advance({ minutes: 1 })
    await until(() => fake.delivered('u-emily').length === 1, 'the card after the outage')
    await new Promise((r) => setTimeout(r, 200))
    expect(fake.delivered('u-emily')).toHaveLength(1)
    const after = (await server.consoleGet('/console/notifications')).body
    expect(after).toMatch(/data-status="SENT"/)
    expect(after).toContain('Association approved')
    expect(after).toContain('Sent: 1')
  })

  it('staff without a DingTalk account: the console lists the notification as not sent, with why', async () => {
    expect((await server.consolePost('/console/inspections', { promotionId: 'prm-seed-warung', staffId: 'staff-dao', dueDate: '2025-03-20' })).statusCode).toBe(
      303,
    )
    const log = (await server.consoleGet('/console/notifications')).body
    expect(log).toMatch(/data-status="SKIPPED"/)
    expect(log).toContain('The staff member has no DingTalk account (a seeded demo staff member).')
  })
})
