/**
 * The durable work-notification queue (server/src/notifications/service.ts) on a real database (SQLite, or
 * PostgreSQL when TEST_DATABASE_URL is set),
 * sending through the real DingTalk client to the fake DingTalk: one card per event whatever happens,
 * retries with growing pauses after an outage, DingTalk's frequency limit respected, given up after its
 * attempts, and a card written in the staff member's working language that opens the right page.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SettableClock } from '../../server/src/clock'
import type { Db } from '../../server/src/db'
import { createDingTalkClient } from '../../server/src/dingtalk/client'
import { renderCard } from '../../server/src/notifications/messages'
import { createNotificationService, MAX_ATTEMPTS, retryDelayMs, type NotificationService } from '../../server/src/notifications/service'
import { createRepos, type Repos } from '../../server/src/repo'
import { DICTIONARIES } from '../../src/i18n/all'
import { FakeDingTalk } from '../helpers/fake-dingtalk'
import { testDatabaseIn, type TestDatabase } from './engine'

let fake: FakeDingTalk
let database: TestDatabase
let db: Db
let repos: Repos
let dir: string
const clock = new SettableClock('2025-03-03T02:00:00.000Z')

function service(opts: { timeoutMs?: number } = {}): NotificationService {
  const dingtalk = createDingTalkClient(fake.settings({ timeoutMs: opts.timeoutMs ?? 1000 }), { retryDelaysMs: [10, 20] })
  return createNotificationService({ repos, clock, dingtalk, autoDispatch: false })
}

const APPROVED = { kind: 'ASSOCIATION_APPROVED', params: { iso: 'Lion City Payments Pte. Ltd.' } } as const

beforeEach(async () => {
  fake = await new FakeDingTalk().start()
  fake.addMember({ userid: 'u-chen', name: 'Chen Wei', deptIds: [1] })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posm-notify-'))
  database = testDatabaseIn(dir, 'db.sqlite')
  db = await database.open({ clock })
  repos = createRepos(db)
  await db.run("UPDATE staff SET dingtalk_corp_id = ?, dingtalk_user_id = 'u-chen', locale = 'ja' WHERE id = 'staff-chen'", [fake.corpId])
})

afterEach(async () => {
  await db.close()
  await database.drop()
  fs.rmSync(dir, { recursive: true, force: true })
  await fake.stop()
})

const row = (key: string) => repos.notifications.findByEvent(key)

describe('the queue', () => {
  it('records one notification per event, however often the event is recorded', async () => {
    const notify = service()
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    expect(await db.get("SELECT COUNT(*) AS n FROM notifications WHERE event_key = 'association:req-1'")).toEqual({ n: 1 })
    expect(await row('association:req-1')).toMatchObject({ status: 'PENDING', attempts: 0 })
  })

  it('rolls back with the decision: a notification written in a transaction that fails is not sent', async () => {
    const notify = service()
    await expect(
      db.transaction(async () => {
        await notify.enqueue('association:req-2', 'staff-chen', APPROVED)
        throw new Error('the decision failed')
      }),
    ).rejects.toThrow('the decision failed')
    expect(await row('association:req-2')).toBeUndefined()
    expect(await notify.dispatchDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
  })

  it('sends the card in the staff member’s working language, once, even when three senders run at once', async () => {
    const notify = service()
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    await Promise.all([notify.dispatchDue(), notify.dispatchDue(), notify.dispatchDue()])
    expect(fake.messages).toHaveLength(1)
    const card = fake.messages[0].msg.action_card
    expect(card).toMatchObject({
      title: DICTIONARIES.ja['notify.association.approved.title'],
      single_title: DICTIONARIES.ja['notify.open'],
      single_url: 'eapp://pages/associate/index',
    })
    expect(card?.markdown).toContain('Lion City Payments Pte. Ltd.')
    expect(await row('association:req-1')).toMatchObject({ status: 'SENT', attempts: 1, dingtalk_task_id: String(fake.messages[0].taskId) })
  })

  it('a seeded staff member without a DingTalk account, or a server without DingTalk: recorded as not sent', async () => {
    await service().enqueue('association:req-3', 'staff-emily', APPROVED)
    expect(await row('association:req-3')).toMatchObject({ status: 'SKIPPED', last_error: expect.stringMatching(/no DingTalk account/) })
    await createNotificationService({ repos, clock, dingtalk: null, autoDispatch: false }).enqueue('association:req-4', 'staff-chen', APPROVED)
    expect(await row('association:req-4')).toMatchObject({ status: 'SKIPPED', last_error: expect.stringMatching(/not configured/) })
    await service().dispatchDue()
    expect(fake.messages).toHaveLength(0)
  })
})

describe('DingTalk unavailable', () => {
  it('an outage: the notification waits with its error, is tried again after a pause, and arrives once', async () => {
    const notify = service()
    fake.fail('asyncsend_v2', '5xx', 3) // every attempt of the client's first call
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    expect(await notify.dispatchDue()).toEqual({ sent: 0, retrying: 1, failed: 0 })
    const waiting = (await row('association:req-1'))!
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 1, last_error: expect.stringMatching(/HTTP 502/) })
    expect(Date.parse(waiting.next_attempt_at) - clock.now().getTime()).toBe(retryDelayMs(1))

    // not before its time
    expect(await notify.dispatchDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    clock.advance(retryDelayMs(1))
    expect(await notify.dispatchDue()).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(fake.delivered()).toHaveLength(1)
    expect(await row('association:req-1')).toMatchObject({ status: 'SENT', attempts: 2, last_error: null })
    // and never again
    clock.advance({ hours: 3 })
    await notify.dispatchDue()
    expect(fake.messages).toHaveLength(1)
  })

  it('an answer lost after DingTalk sent the card: sent again, and DingTalk shows it once (same content)', async () => {
    const notify = service({ timeoutMs: 200 })
    fake.fail('asyncsend_v2', 'lost-answer', 3)
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    await notify.dispatchDue()
    clock.advance(retryDelayMs(1))
    await notify.dispatchDue()
    expect((await row('association:req-1'))?.status).toBe('SENT')
    expect(fake.messages.length).toBeGreaterThan(1)
    expect(fake.delivered()).toHaveLength(1)
  })

  it('DingTalk’s frequency limit: the sender stops for the round and the notification goes later', async () => {
    const notify = service()
    fake.fail('asyncsend_v2', 'rate-limit', 3)
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    await notify.enqueue('association:req-2', 'staff-chen', { kind: 'ASSOCIATION_REJECTED', params: { iso: 'Lion City', reason: 'Wrong phone' } })
    const first = await notify.dispatchDue()
    // one tried (and limited), the other not tried in the same round
    expect(first).toEqual({ sent: 0, retrying: 1, failed: 0 })
    expect(fake.count('asyncsend_v2')).toBe(3)
    clock.advance(retryDelayMs(1))
    expect(await notify.dispatchDue()).toEqual({ sent: 2, retrying: 0, failed: 0 })
    expect(fake.delivered()).toHaveLength(2)
  }, 15000)

  it(`gives up after ${MAX_ATTEMPTS} attempts, with the last error, and sends nothing more`, async () => {
    const notify = service()
    fake.fail('asyncsend_v2', '5xx', 1000)
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await notify.dispatchDue()
      clock.advance(retryDelayMs(attempt))
    }
    expect(await row('association:req-1')).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, last_error: expect.stringMatching(/HTTP 502/) })
    const calls = fake.count('asyncsend_v2')
    fake.clearFaults()
    clock.advance({ days: 1 })
    await notify.dispatchDue()
    expect(fake.count('asyncsend_v2')).toBe(calls)
  })

  it('a sender that stopped mid-way (its claim ran out) is taken over, not doubled', async () => {
    const notify = service()
    await notify.enqueue('association:req-1', 'staff-chen', APPROVED)
    const id = (await row('association:req-1'))!.id
    const now = clock.now().getTime()
    expect(await repos.notifications.claim(id, new Date(now).toISOString(), new Date(now + 60_000).toISOString())).toBe(true)
    // claimed by another sender: not sent by this one
    expect(await notify.dispatchDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    clock.advance(61_000)
    expect(await notify.dispatchDue()).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(fake.messages).toHaveLength(1)
  })
})

describe('the cards', () => {
  it('every kind in every working language: its title, the button, the page it opens, the reviewer’s words as text', () => {
    const events = [
      APPROVED,
      { kind: 'ASSOCIATION_REJECTED', params: { iso: 'Lion City', reason: 'See [this](http://evil.example) *now*' } },
      { kind: 'PROMOTION_APPROVED', params: { promotionId: 'prm-1', store: 'Kopi Corner', product: 'MARKETING_CODE' } },
      { kind: 'PROMOTION_REJECTED', params: { promotionId: 'prm-1', store: 'Kopi Corner', product: 'PRIMARY_POSM' } },
      { kind: 'APPEAL_ACCEPTED', params: { promotionId: 'prm-1', store: 'Kopi Corner' } },
      { kind: 'APPEAL_REJECTED', params: { promotionId: 'prm-1', store: 'Kopi Corner', reason: 'Photo unclear' } },
      { kind: 'INSPECTION_ASSIGNED', params: { taskId: 'ins-1', store: 'Kopi Corner', address: '1 Orchard Rd', dueDate: '2025-03-20' } },
    ] as const
    for (const locale of Object.keys(DICTIONARIES) as Array<keyof typeof DICTIONARIES>) {
      for (const event of events) {
        const card = renderCard(event, locale)
        expect(card.singleTitle).toBe(DICTIONARIES[locale]['notify.open'])
        expect(card.markdown).not.toMatch(/\{\w+\}/)
        expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(2048)
      }
    }
    const rejected = renderCard(events[1], 'en')
    expect(rejected.markdown).toContain('See \\[this\\](http://evil.example) \\*now\\*')
    expect(renderCard(events[2], 'zh-CN').markdown).toContain(DICTIONARIES['zh-CN']['product.MARKETING_CODE'])
    expect(renderCard(events[2], 'en').singleUrl).toBe('eapp://pages/results/detail/index?id=prm-1')
    expect(renderCard(events[6], 'en')).toMatchObject({
      singleUrl: 'eapp://pages/inspection/task/index?id=ins-1',
      markdown: expect.stringContaining('March 20, 2025'),
    })
    expect(renderCard(events[6], 'th').markdown).toContain('มีนาคม') // the date in Thai
  })
})
