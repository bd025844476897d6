/**
 * Submitting a promotion: the outbox uploads the photos first (each once), then the promotion with its
 * idempotency key; transient failures wait and retry, refusals are kept with their reasons and never
 * block the items behind them; the wizard follows along (submitting → submitted / refused → Modify).
 */
import { runInAction, toJS } from 'mobx'
import { TransportError } from '../../src/platform/types'
import type { PromotionDraft } from '../../src/rules/promotion-draft'
import { isHeldOnDevice } from '../../src/stores/outbox-store'
import { promotionWizard } from '../../src/stores/wizard-store'
import { json } from '../helpers/fake-platform'
import { codeUrl, labels, promotionRoot, settle, startWizard, walkToSummary, type PromotionEnv } from '../helpers/promotion'

const postsOf = (env: PromotionEnv) => env.server.log.filter((l) => l === 'POST /api/promotions').length
const uploadedPaths = (env: PromotionEnv) => env.server.uploads.map((u) => u.filePath)

/**
 * A draft filled to the summary, with `spots` spots; answers the wizard and a copy of its draft. The photos were
 * taken offline (no check at capture, issue 26), so the outbox uploads them when it sends the submission.
 */
async function readyToSubmit(env: PromotionEnv, spots = 2, product: 'MARKETING_CODE' | 'PRIMARY_POSM' = 'MARKETING_CODE') {
  const wizard = startWizard(env, product)
  for (let i = 1; i < spots; i++) wizard.addSpot()
  runInAction(() => (env.root.outbox.online = false))
  await walkToSummary(env, wizard)
  runInAction(() => (env.root.outbox.online = true))
  const draft = toJS(wizard.draft) as PromotionDraft
  // the payment evidence (Verify-Then-Deploy) was uploaded while verifying; count only what Submit sends
  env.server.uploads.length = 0
  env.server.log.length = 0
  return { wizard, draft }
}

const photoPaths = (d: PromotionDraft) => [d.store.storefrontPhoto?.localPath, ...d.spots.map((s) => s.photo?.localPath)]

describe('submitting a promotion', () => {
  it('queues one item, uploads every photo once before the promotion, and sends the upload ids', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard, draft } = await readyToSubmit(env)
    expect(wizard.submit()).toBe(true)
    expect(wizard.state).toBe('submitting')
    expect(env.root.outbox.items).toHaveLength(1)
    expect(env.root.outbox.pendingCount).toBe(1)
    await settle()

    const paths = photoPaths(draft)
    // then the list of submitted promotions is refreshed
    expect(env.server.log).toEqual([...paths.map((p) => `upload ${p}`), 'POST /api/promotions', 'GET /api/promotions'])
    const [storefront] = env.server.uploads
    expect(storefront).toMatchObject({
      url: 'http://api/api/uploads',
      name: 'file',
      headers: { Authorization: 'Bearer tok-1' },
      formData: { takenAt: '2026-11-25T10:30:00.000Z', latitude: '1.3', longitude: '103.8', accuracy: '10', mocked: 'false' },
    })
    expect(env.server.promotionBodies).toEqual([
      {
        clientId: draft.clientId,
        product: 'MARKETING_CODE',
        method: 'DEPLOY_THEN_VERIFY',
        store: {
          name: 'Kopi Corner',
          address: '12 Orchard Road, Singapore 238823',
          category: 'FOOD_BEVERAGE',
          wallets: ['GCASH'],
          managerConsent: true,
          openingTime: '08:00',
          closingTime: '22:00',
          location: { latitude: 1.3, longitude: 103.8, accuracy: 10, mocked: false },
          storefrontPhotoId: 'u-1',
        },
        spots: [
          { position: 'CASHIER_COUNTER', photoId: 'u-2', marketingCode: 'APMC0000000000' },
          { position: 'CASHIER_COUNTER', photoId: 'u-3', marketingCode: 'APMC0000000001' },
        ],
        merchant: { contactName: 'Tan Wei Ming', contactPhone: '+65 8123 4567', legalName: 'Kopi Corner Pte. Ltd.', acquirerMerchantId: 'M-100234', notes: '' },
        paymentVerificationIds: [],
      },
    ])

    const item = env.root.outbox.forDraft(draft.id)
    expect(item).toMatchObject({ status: 'sent', attempts: 1, lastError: null, clientId: draft.clientId, label: 'Kopi Corner' })
    expect(item?.promotion?.status).toBe('AWAITING_PAYMENT_VERIFICATION')
    expect(wizard.state).toBe('submitted')
    expect(env.root.outbox.pendingCount).toBe(0)
    expect(env.root.outbox.waiting).toEqual([])
  })

  it('after it was sent: the draft is discarded, its photos removed from the device, the state stays submitted', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard, draft } = await readyToSubmit(env)
    wizard.submit()
    await settle()
    expect(env.root.drafts.get(draft.id)).toBeNull()
    expect(env.root.drafts.drafts).toEqual([])
    for (const p of photoPaths(draft)) expect(env.platform.files.remove).toHaveBeenCalledWith(p)
    expect(wizard.state).toBe('submitted')
    expect(promotionWizard(env.root, draft.id)).toBe(wizard)
    expect(wizard.next()).toBe(false)
    expect(wizard.back()).toBe(false)
    expect(wizard.goTo('store')).toBe(false)
    expect(wizard.submit()).toBe(false)
    expect(wizard.retry()).toBe(false)
    // the submitted promotion shows in the list
    await settle()
    expect(env.root.promotions.list.map((p) => p.clientId)).toEqual([draft.clientId])

    // and after a restart
    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage })
    expect(again.root.drafts.drafts).toEqual([])
    expect(promotionWizard(again.root, draft.id)?.state).toBe('submitted')
  })

  it('a double tap on Submit queues one item and sends one promotion', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard } = await readyToSubmit(env)
    expect(wizard.submit()).toBe(true)
    expect(wizard.submit()).toBe(false)
    await settle()
    expect(wizard.submit()).toBe(false)
    await settle()
    expect(env.root.outbox.items).toHaveLength(1)
    expect(postsOf(env)).toBe(1)
    expect(env.server.uploads).toHaveLength(3)
  })

  it('Verify-Then-Deploy sends the ids of the passed verifications', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const { wizard } = await readyToSubmit(env, 1)
    wizard.submit()
    await settle()
    expect(env.server.promotionBodies[0].paymentVerificationIds).toEqual(['pv-1', 'pv-2'])
    expect(wizard.outboxItem?.promotion?.status).toBe('PENDING_REVIEW')
    expect(wizard.state).toBe('submitted')
  })

  it('Primary POSMs are sent with their material types', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard } = await readyToSubmit(env, 2, 'PRIMARY_POSM')
    wizard.submit()
    await settle()
    expect(env.server.promotionBodies[0]).toMatchObject({
      product: 'PRIMARY_POSM',
      spots: [
        { position: 'CASHIER_COUNTER', photoId: 'u-2', materialType: 'STICKER' },
        { position: 'CASHIER_COUNTER', photoId: 'u-3', materialType: 'STICKER' },
      ],
    })
    expect(env.server.promotionBodies[0].spots[0]).not.toHaveProperty('marketingCode')
    expect(wizard.state).toBe('submitted')
  })
})

describe('transient failures wait and retry', () => {
  it('a network error on the promotion: pending with NETWORK, retried after the backoff without uploading again', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: (n) => 1000 * n })
    const { wizard, draft } = await readyToSubmit(env)
    env.server.once('POST /api/promotions', () => {
      throw new TransportError('network', 'offline')
    })
    wizard.submit()
    await settle()

    const item = wizard.outboxItem
    expect(item).toMatchObject({ status: 'pending', lastError: 'NETWORK', attempts: 1, nextAttemptAt: env.clock.now() + 1000 })
    expect(wizard.state).toBe('submitting')
    expect(env.root.drafts.get(draft.id)).not.toBeNull()
    expect(env.root.outbox.uploadedCount(item as NonNullable<typeof item>)).toBe(3)
    expect(env.clock.armed().map((t) => t.wait)).toEqual([1000])

    // not before the backoff is over
    env.clock.advance(999)
    await env.clock.fireDue()
    expect(postsOf(env)).toBe(1)

    env.clock.advance(1)
    await env.clock.fireDue()
    expect(postsOf(env)).toBe(2)
    expect(wizard.state).toBe('submitted')
    expect(wizard.outboxItem).toMatchObject({ status: 'sent', attempts: 2, lastError: null })
    expect(uploadedPaths(env)).toEqual(photoPaths(draft)) // each photo once
    expect(env.server.promotionBodies.map((b) => b.clientId)).toEqual([draft.clientId, draft.clientId])
    expect(env.server.promotionBodies[1].store.storefrontPhotoId).toBe('u-1')
    expect(env.clock.armed()).toEqual([])
  })

  it('5xx likewise: pending with SERVER, the backoff grows with each attempt', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: (n) => 1000 * 2 ** (n - 1) })
    const { wizard } = await readyToSubmit(env)
    env.server.once('POST /api/promotions', () => json(503, { error: { code: 'SERVER', message: 'down' } }))
    env.server.once('POST /api/promotions', () => json(500, {}))
    wizard.submit()
    await settle()
    expect(wizard.outboxItem).toMatchObject({ status: 'pending', lastError: 'SERVER', attempts: 1 })
    expect(env.clock.armed().map((t) => t.wait)).toEqual([1000])
    env.clock.advance(1000)
    await env.clock.fireDue()
    expect(wizard.outboxItem).toMatchObject({ status: 'pending', lastError: 'SERVER', attempts: 2 })
    expect(env.clock.armed().map((t) => t.wait)).toEqual([2000])
    env.clock.advance(2000)
    await env.clock.fireDue()
    expect(wizard.state).toBe('submitted')
    expect(postsOf(env)).toBe(3)
    expect(env.server.uploads).toHaveLength(3)
  })

  it('429 RATE_LIMITED: waits out the Retry-After the server gives (not the shorter backoff), keeps the draft, then sends once', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: () => 1000 })
    const { wizard, draft } = await readyToSubmit(env)
    env.server.once('POST /api/promotions', () => json(429, { error: { code: 'RATE_LIMITED', message: 'Too many requests', retryAfterSeconds: 42 } }))
    wizard.submit()
    await settle()
    expect(wizard.outboxItem).toMatchObject({ status: 'pending', lastError: 'RATE_LIMITED', attempts: 1, nextAttemptAt: env.clock.now() + 42_000 })
    expect(wizard.state).toBe('submitting')
    expect(env.root.drafts.get(draft.id)).not.toBeNull()
    env.clock.advance(41_999)
    await env.clock.fireDue()
    expect(postsOf(env)).toBe(1)
    env.clock.advance(1)
    await env.clock.fireDue()
    expect(postsOf(env)).toBe(2)
    expect(wizard.state).toBe('submitted')
    expect(uploadedPaths(env)).toEqual(photoPaths(draft))
  })

  it('a 429 on a photo upload (no body the app knows): a minute’s wait, the photo is not marked refused', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: () => 1000 })
    const { wizard } = await readyToSubmit(env)
    env.server.once('UPLOAD', () => json(429, 'Too Many Requests'))
    wizard.submit()
    await settle()
    expect(wizard.outboxItem).toMatchObject({ status: 'pending', lastError: 'RATE_LIMITED', lastErrorFields: null, nextAttemptAt: env.clock.now() + 60_000 })
    env.clock.advance(60_000)
    await env.clock.fireDue()
    expect(wizard.state).toBe('submitted')
  })

  it('a photo gone from the phone (DingTalk upload error 11): the item is held at that photo to be retaken, never retried by itself', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: () => 500 })
    const { wizard, draft } = await readyToSubmit(env)
    env.server.once('UPLOAD', () => {
      throw new TransportError('file-missing', 'dd.uploadFile error 11')
    })
    wizard.submit()
    await settle()
    const item = wizard.outboxItem
    expect(item).toMatchObject({ status: 'refused', lastError: 'PHOTO_LOST', lastErrorFields: { 'store.storefrontPhotoId': 'PHOTO_LOST' } })
    expect(isHeldOnDevice(item as NonNullable<typeof item>)).toBe(true)
    expect(env.clock.armed()).toEqual([])
    env.clock.advance(60_000)
    await env.clock.fireDue()
    // the one attempt only
    expect(uploadedPaths(env)).toEqual([photoPaths(draft)[0]])
    expect(postsOf(env)).toBe(0)

    // the staff member retakes it (Modify, the store step) and sends again: it goes
    expect(wizard.back()).toBe(true)
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('PHOTO_LOST')
    expect(wizard.goTo('store')).toBe(true)
    env.platform.files.remove.mockClear()
    await wizard.takeStorefrontPhoto('Storefront')
    expect(wizard.fieldError('store.storefrontPhotoId')).toBeNull()
    // the queued item still names the lost photo until the new one replaces it there: nothing freed yet
    expect(env.platform.files.remove).not.toHaveBeenCalled()
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.submit()).toBe(true)
    await settle()
    expect(wizard.state).toBe('submitted')
    expect(postsOf(env)).toBe(1)
  })

  it('a failed upload midway: the photos already uploaded are not uploaded again', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: () => 500 })
    const { wizard, draft } = await readyToSubmit(env)
    env.server.once('UPLOAD', () => json(201, { id: 'u-store', sha256: 's', size: 1, mime: 'image/jpeg', takenAt: null, location: null, createdAt: '' }))
    env.server.once('UPLOAD', () => {
      throw new TransportError('timeout', 'slow')
    })
    wizard.submit()
    await settle()
    expect(wizard.outboxItem).toMatchObject({ status: 'pending', lastError: 'TIMEOUT', lastErrorFields: null })
    expect(postsOf(env)).toBe(0) // no promotion without all its photos
    env.clock.advance(500)
    await env.clock.fireDue()
    const [store, spot0, spot1] = photoPaths(draft)
    expect(uploadedPaths(env)).toEqual([store, spot0, spot0, spot1])
    expect(env.server.promotionBodies[0].store.storefrontPhotoId).toBe('u-store')
    expect(wizard.state).toBe('submitted')
  })

  it('Retry sends a waiting item at once, before its backoff is over', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', backoff: () => 60_000 })
    const { wizard } = await readyToSubmit(env)
    env.server.once('POST /api/promotions', () => {
      throw new TransportError('network', 'offline')
    })
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('submitting')
    expect(wizard.retry()).toBe(true)
    await settle()
    expect(wizard.state).toBe('submitted')
    expect(postsOf(env)).toBe(2)
    expect(env.clock.armed()).toEqual([])
  })
})

describe('refusals (4xx)', () => {
  const refuseCodeBound = () => json(409, { error: { code: 'CODE_BOUND', message: 'bound', fields: { 'spots.0.marketingCode': 'CODE_BOUND' } } })

  it('are kept with the reason and the fields, never retried, and do not block the next submission', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const first = await readyToSubmit(env, 1)
    env.server.once('POST /api/promotions', refuseCodeBound)
    first.wizard.submit()
    await settle()
    expect(first.wizard.state).toBe('refused')
    expect(first.wizard.outboxItem).toMatchObject({
      status: 'refused',
      lastError: 'CODE_BOUND',
      lastErrorFields: { 'spots.0.marketingCode': 'CODE_BOUND' },
      attempts: 1,
    })
    expect(env.root.drafts.get(first.draft.id)).not.toBeNull()
    expect(env.clock.armed()).toEqual([])
    expect(env.root.outbox.waiting).toHaveLength(1)
    expect(env.root.outbox.pendingCount).toBe(0)

    const second = await readyToSubmit(env, 1)
    second.wizard.submit()
    await settle()
    expect(second.wizard.state).toBe('submitted')
    expect(env.server.promotionBodies.map((b) => b.clientId)).toEqual([first.draft.clientId, second.draft.clientId])
    expect(first.wizard.state).toBe('refused')
    expect(first.wizard.outboxItem?.status).toBe('refused')

    // nothing resends it by itself, not even the network coming back or time passing
    const posts = postsOf(env)
    env.root.outbox.retryAll()
    env.clock.advance(3_600_000)
    await env.clock.fireDue()
    expect(postsOf(env)).toBe(posts)
    expect(first.wizard.outboxItem?.status).toBe('refused')
  })

  it('a refusal of the first queued item does not hold up the one queued right behind it', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const first = await readyToSubmit(env, 1)
    const second = await readyToSubmit(env, 1)
    env.server.once('POST /api/promotions', () =>
      json(422, { error: { code: 'VALIDATION_FAILED', message: '', fields: { 'merchant.acquirerMerchantId': 'MERCHANT_ID_INVALID' } } }),
    )
    first.wizard.submit()
    second.wizard.submit()
    await settle()
    expect(env.root.outbox.items.map((i) => i.status)).toEqual(['refused', 'sent'])
    expect(second.wizard.state).toBe('submitted')
  })

  it('Modify (Back from refused) reopens the form with the server’s reasons; resubmitting re-queues the same item and clientId', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard, draft } = await readyToSubmit(env, 1)
    env.server.once('POST /api/promotions', refuseCodeBound)
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('refused')
    const itemId = wizard.outboxItem?.id

    expect(wizard.back()).toBe(true)
    expect(wizard.state).toBe('summary')
    expect(wizard.errors).toEqual({ 'spots.0.marketingCode': 'CODE_BOUND' })
    expect(wizard.fieldError('spots.0.marketingCode')).toBe('CODE_BOUND')

    expect(wizard.goTo('spots')).toBe(true)
    env.platform.scanner.scan.mockResolvedValueOnce(codeUrl('APMC7777777777'))
    await wizard.scanSpotCode(0, labels)
    expect(wizard.fieldError('spots.0.marketingCode')).toBeNull()
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.submit()).toBe(true)
    expect(wizard.state).toBe('submitting')
    await settle()

    expect(wizard.state).toBe('submitted')
    expect(env.root.outbox.items).toHaveLength(1)
    expect(wizard.outboxItem).toMatchObject({ id: itemId, clientId: draft.clientId, status: 'sent', lastError: null, lastErrorFields: null })
    expect(env.server.promotionBodies.map((b) => [b.clientId, b.spots[0].marketingCode])).toEqual([
      [draft.clientId, 'APMC0000000000'],
      [draft.clientId, 'APMC7777777777'],
    ])
    expect(env.server.uploads).toHaveLength(2) // storefront and spot, once each
  })

  it('Modify survives a restart: the refused item shows as refused, Back reopens it', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard, draft } = await readyToSubmit(env, 1)
    env.server.once('POST /api/promotions', refuseCodeBound)
    wizard.submit()
    await settle()
    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage })
    const reopened = promotionWizard(again.root, draft.id)
    expect(reopened?.state).toBe('refused')
    expect(reopened?.back()).toBe(true)
    expect(reopened?.state).toBe('summary')
    expect(reopened?.errors).toEqual({ 'spots.0.marketingCode': 'CODE_BOUND' })
  })

  it('a refused photo upload (413 FILE_TOO_LARGE) is shown next to that photo, and nothing else is sent', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard } = await readyToSubmit(env, 1)
    env.server.once('UPLOAD', () => json(413, { error: { code: 'FILE_TOO_LARGE', message: 'too big' } }))
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('refused')
    expect(wizard.outboxItem).toMatchObject({ lastError: 'FILE_TOO_LARGE', lastErrorFields: { 'store.storefrontPhotoId': 'FILE_TOO_LARGE' } })
    expect(postsOf(env)).toBe(0)
    wizard.back()
    expect(wizard.fieldError('store.storefrontPhotoId')).toBe('FILE_TOO_LARGE')
  })

  it('while the item is on its way, Submit, Back and goTo are refused', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const { wizard, draft } = await readyToSubmit(env, 1)
    let release: () => void = () => undefined
    env.server.once('POST /api/promotions', () => new Promise((resolve) => (release = () => resolve(json(201, heldAnswer(draft))))))
    wizard.submit()
    await settle()
    expect(wizard.outboxItem?.status).toBe('sending')
    expect(wizard.state).toBe('submitting')
    expect(wizard.back()).toBe(false)
    expect(wizard.goTo('store')).toBe(false)
    expect(wizard.submit()).toBe(false)
    expect(wizard.draft.step).toBe('summary')
    release()
    await settle()
    expect(wizard.state).toBe('submitted')
    expect(postsOf(env)).toBe(1)
  })
})

/** The server's answer to a request the test held back. */
function heldAnswer(draft: PromotionDraft) {
  return {
    id: 'pr-held',
    clientId: draft.clientId,
    product: draft.product,
    method: draft.method,
    status: 'AWAITING_PAYMENT_VERIFICATION',
    store: {},
    storeReview: { status: 'PENDING', reason: null },
    spots: [],
    merchant: draft.merchant,
    paymentVerifications: [],
    createdAt: '2026-11-25T10:30:00.000Z',
  }
}
