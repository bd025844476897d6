/**
 * What earlier versions of the app left in the outbox still loads and is sent, each kind to its endpoint, its
 * answer kept where the app shows it. The items below are written as those versions stored them (JSON, by
 * hand: never made by today's code): the first version kept every item in one key with no kind (all were
 * promotions); the next added Appeal and Modify items naming their promotion `promotionId`; then `targetId`
 * and `task` came with inspections; the version before this one kept a key per item.
 */
import { LEGACY_OUTBOX_KEY, LEGACY_UPLOADS_KEY, OUTBOX_INDEX_KEY, outboxItemKey } from '../../src/stores/outbox-store'
import { memoryStorage } from '../helpers/fake-platform'
import { inspectionRoot, MC_TASK } from '../helpers/inspection'
import { settle } from '../helpers/promotion'
import type { HttpRequest } from '../../src/platform/types'
import { PROMOTION_ID, resultsRoot, type ResultsEnv } from '../helpers/results'

/** The paths the app posted to (uploads aside). */
const posted = (env: ResultsEnv) =>
  env.platform.http.request.mock.calls
    .map((call) => (call as unknown[])[0] as HttpRequest)
    .filter((req) => req.method === 'POST' && !req.url.includes('/api/auth/'))
    .map((req) => req.url.replace(/^https?:\/\/[^/]+/, ''))

const at = { latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false }
const photo = (localPath: string) => ({ localPath, takenAt: '2026-11-24T09:00:00.000Z', location: at })

/** A promotion's payload as every version wrote it. */
const promotionPayload = (clientId: string, storefront: string, spot: string) => ({
  clientId,
  product: 'MARKETING_CODE',
  store: {
    name: 'Kopi Corner',
    address: '12 Orchard Road, Singapore 238823',
    category: 'FOOD_BEVERAGE',
    wallets: ['ALIPAY', 'GCASH'],
    managerConsent: true,
    openingTime: '08:00',
    closingTime: '22:00',
    location: at,
    storefrontPhotoId: storefront,
  },
  spots: [{ position: 'CASHIER_COUNTER', photoId: spot, marketingCode: 'APMC0000000009' }],
  merchant: { contactName: 'Tan Wei Ming', contactPhone: '+65 8123 4567', legalName: 'Kopi Corner Pte. Ltd.', acquirerMerchantId: 'M-100234', notes: '' },
})

/** The fields every version kept, whatever the item. */
const waiting = (id: string, draftId: string, clientId: string, createdAt: string) => ({
  id,
  draftId,
  clientId,
  label: 'Kopi Corner',
  product: 'MARKETING_CODE',
  status: 'pending',
  attempts: 1,
  nextAttemptAt: 0,
  lastError: 'NETWORK',
  lastErrorFields: null,
  promotion: null,
  createdAt,
})

/** The first version: a promotion with no kind. */
const firstVersionPromotion = {
  ...waiting('o-first', 'd-first', 'c-first-0000000001', '2026-11-24T09:00:00.000Z'),
  payload: { ...promotionPayload('c-first-0000000001', 'kept:f-store.jpg', 'kept:f-spot.jpg'), paymentVerificationIds: [] },
  photos: [photo('kept:f-store.jpg'), photo('kept:f-spot.jpg')],
}

/** The version of review results: an Appeal and a Modify naming their promotion `promotionId`. */
const resultsVersionAppeal = {
  ...waiting('o-appeal', `appeal:${PROMOTION_ID}:c-appeal-000000001`, 'c-appeal-000000001', '2026-11-24T09:05:00.000Z'),
  kind: 'appeal',
  promotionId: PROMOTION_ID,
  payload: { clientId: 'c-appeal-000000001', reason: 'The storefront photo was taken in the rain; the sign is readable.', photoIds: ['kept:a1.jpg'] },
  photos: [photo('kept:a1.jpg')],
  // it was being sent when the app stopped
  status: 'sending',
}
const resultsVersionModify = {
  ...waiting('o-modify', 'd-modify', 'c-modify-000000001', '2026-11-24T09:10:00.000Z'),
  kind: 'resubmission',
  promotionId: PROMOTION_ID,
  payload: promotionPayload('c-modify-000000001', 'server:u-store', 'kept:m-spot.jpg'),
  photos: [photo('server:u-store'), photo('kept:m-spot.jpg')],
}

describe('an outbox kept by an earlier version loads and is sent', () => {
  it('the one-key outbox: a promotion with no kind, an Appeal and a Modify naming their promotion `promotionId`', async () => {
    const storage = memoryStorage()
    storage.data.set(LEGACY_OUTBOX_KEY, [firstVersionPromotion, resultsVersionAppeal, resultsVersionModify])
    storage.data.set(LEGACY_UPLOADS_KEY, { 'kept:f-store.jpg': 'u-earlier' })
    const env = await resultsRoot({ storage })
    await settle()

    // each to its endpoint, the Appeal and the Modify to the promotion they were about
    expect(posted(env)).toEqual(['/api/promotions', `/api/promotions/${PROMOTION_ID}/appeals`, `/api/promotions/${PROMOTION_ID}/resubmissions`])
    expect(env.root.outbox.items.map((i) => [i.kind, i.status, i.lastError])).toEqual([
      ['promotion', 'sent', null],
      ['appeal', 'sent', null],
      ['resubmission', 'sent', null],
    ])
    // the photo uploaded before is not sent again; the others are, once each
    expect(env.server.uploads.map((u) => u.filePath)).toEqual(['kept:f-spot.jpg', 'kept:a1.jpg', 'kept:m-spot.jpg'])
    expect(env.server.promotionBodies[0].store.storefrontPhotoId).toBe('u-earlier')
    expect(env.results.appealBodies).toEqual([{ clientId: 'c-appeal-000000001', reason: resultsVersionAppeal.payload.reason, photoIds: ['u-2'] }])
    expect(env.results.resubmissionBodies.map((b) => [b.store.storefrontPhotoId, b.spots[0].photoId])).toEqual([['u-store', 'u-3']])
    // the promotion's detail the server answered is the one the results show (its appeal, then its Modify)
    const detail = env.root.results.details.get(PROMOTION_ID)
    expect(detail?.appeals.map((a) => a.reason)).toEqual([resultsVersionAppeal.payload.reason])
    expect(detail?.status).toBe('PENDING_REVIEW')
    // moved to a key per item, every item with its target
    expect(storage.data.has(LEGACY_OUTBOX_KEY)).toBe(false)
    const kept = (storage.data.get(OUTBOX_INDEX_KEY) as string[]).map((id) => (storage.data.get(outboxItemKey(id)) as { item: Record<string, unknown> }).item)
    expect(kept.map((i) => [i.kind, i.targetId])).toEqual([
      ['promotion', null],
      ['appeal', PROMOTION_ID],
      ['resubmission', PROMOTION_ID],
    ])
  })

  it('the key-per-item outbox of the version before: a promotion, an Appeal and a Modify, refused or waiting', async () => {
    const storage = memoryStorage()
    const promotion = {
      item: {
        ...firstVersionPromotion,
        kind: 'promotion',
        targetId: null,
        task: null,
        lastErrorRequestId: 'req-1',
        photos: [photo('kept:f-store.jpg'), { ...photo('kept:f-spot.jpg'), check: null }],
      },
      uploads: { 'kept:f-store.jpg': 'u-earlier' },
    }
    const appeal = { item: { ...resultsVersionAppeal, promotionId: undefined, targetId: PROMOTION_ID, task: null, lastErrorRequestId: null }, uploads: {} }
    // kept before request ids existed (no `lastErrorRequestId`): its key is there once loaded (MobX without Proxy adds none later)
    const modify = {
      item: { ...resultsVersionModify, promotionId: undefined, targetId: PROMOTION_ID, task: null, status: 'refused', lastError: 'VALIDATION_FAILED' },
      uploads: {},
    }
    storage.data.set(OUTBOX_INDEX_KEY, ['o-first', 'o-appeal', 'o-modify'])
    for (const one of [promotion, appeal, modify]) storage.data.set(outboxItemKey(one.item.id), JSON.parse(JSON.stringify(one)))
    const env = await resultsRoot({ storage })
    await settle()

    expect(env.root.outbox.items.map((i) => [i.kind, i.targetId, i.status])).toEqual([
      ['promotion', null, 'sent'],
      ['appeal', PROMOTION_ID, 'sent'],
      // refused: kept with its reason until the staff member retries
      ['resubmission', PROMOTION_ID, 'refused'],
    ])
    expect(env.root.outbox.items[0].promotion?.clientId).toBe('c-first-0000000001')
    env.root.outbox.retry('o-modify')
    await settle()
    expect(env.root.outbox.items[2].status).toBe('sent')
    expect(env.results.resubmissionBodies).toHaveLength(1)
    expect(env.root.results.details.get(PROMOTION_ID)).toMatchObject({ status: 'PENDING_REVIEW', appeals: [expect.objectContaining({ status: 'OPEN' })] })
  })

  it('an inspection kept by the version before is sent to its task, and the task is shown submitted', async () => {
    const storage = memoryStorage()
    const item = {
      ...waiting('o-insp', `inspection:${MC_TASK}`, 'c-insp-0000000001', '2026-11-24T09:20:00.000Z'),
      kind: 'inspection',
      targetId: MC_TASK,
      task: null,
      lastErrorRequestId: null,
      payload: {
        clientId: 'c-insp-0000000001',
        store: { open: true, sameStore: true, storefrontPhotoId: 'kept:i-store.jpg', location: at, distanceMeters: 12, feedback: '' },
        spots: [{ index: 0, condition: 'PRESENT', photoId: 'kept:i-spot.jpg', scannedCode: 'APMC0000000002', feedback: '' }],
        paymentVerificationIds: ['pv-1'],
      },
      photos: [photo('kept:i-store.jpg'), photo('kept:i-spot.jpg')],
    }
    storage.data.set(OUTBOX_INDEX_KEY, ['o-insp'])
    storage.data.set(outboxItemKey('o-insp'), { item, uploads: {} })
    const env = await inspectionRoot({ storage })
    await settle()

    expect(env.server.submissionBodies.map((s) => [s.taskId, s.body.store.storefrontPhotoId, s.body.spots[0].photoId])).toEqual([[MC_TASK, 'u-1', 'u-2']])
    expect(env.root.outbox.items[0]).toMatchObject({ kind: 'inspection', status: 'sent', task: { id: MC_TASK, status: 'SUBMITTED' } })
    expect(env.root.inspections.get(MC_TASK)?.status).toBe('SUBMITTED')
  })
})
