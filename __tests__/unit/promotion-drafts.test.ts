/**
 * Drafts and the outbox on the device: everything survives the app being killed, several drafts live
 * side by side, discarding cleans up, and a full storage is reported without losing the draft in memory.
 */
import { toJS, runInAction } from 'mobx'
import { StorageQuotaError } from '../../src/platform/types'
import type { PromotionDraft } from '../../src/rules/promotion-draft'
import { DRAFT_INDEX_KEY, draftKey } from '../../src/stores/drafts-store'
import { OUTBOX_INDEX_KEY, outboxItemKey, type StoredOutboxItem } from '../../src/stores/outbox-store'
import { promotionWizard } from '../../src/stores/wizard-store'
import { memoryStorage } from '../helpers/fake-platform'
import {
  fillMerchant,
  fillPayment,
  fillSpots,
  fillStore,
  manualClock,
  promotionRoot,
  removedPaths,
  settle,
  startWizard,
  walkToSummary,
} from '../helpers/promotion'

/** The outbox items in the device's storage, in the order of their list. */
const storedItems = (storage: { data: Map<string, unknown> }) =>
  ((storage.data.get(OUTBOX_INDEX_KEY) ?? []) as string[]).map((id) => (storage.data.get(outboxItemKey(id)) as StoredOutboxItem).item)

describe('drafts survive a restart', () => {
  it('a second RootStore over the same storage sees the draft with all its values and its current step', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env)
    await fillStore(wizard)
    wizard.next()
    wizard.addSpot()
    await fillSpots(env, wizard)
    wizard.setPosition(1, 'OTHER')
    wizard.setSpot(1, 'positionNote', 'By the door')
    expect(wizard.state).toBe('spots')
    const before = toJS(wizard.draft) as PromotionDraft

    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage })
    expect(again.root.drafts.drafts).toHaveLength(1)
    expect(toJS(again.root.drafts.get(before.id))).toEqual(before)
    const resumed = promotionWizard(again.root, before.id)
    expect(resumed?.state).toBe('spots')
    expect(resumed?.draft.store.name).toBe('Kopi Corner')
    expect(resumed?.draft.spots[1]).toMatchObject({ position: 'OTHER', positionNote: 'By the door', marketingCode: 'APMC0000000001' })
    // and carries on from there
    expect(resumed?.next()).toBe(true)
    if (resumed) fillMerchant(resumed)
    expect(resumed?.next()).toBe(true)
    expect(resumed?.submit()).toBe(true)
  })

  it('a Verify-Then-Deploy draft keeps its payment evidence and results', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    await fillPayment(wizard)
    const again = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY', storage: env.storage })
    const resumed = promotionWizard(again.root, wizard.draftId)
    expect(resumed?.state).toBe('payment')
    expect(resumed?.draft.payment.MPM.result?.status).toBe('PASSED')
    expect(resumed?.draft.payment.UPM.photo?.localPath).toBe('kept:p2.jpg')
    expect(resumed?.next()).toBe(true)
  })

  it('several drafts are listed newest first (by last change)', async () => {
    const clock = manualClock()
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', clock })
    const a = startWizard(env)
    a.setStore('name', 'Store A')
    clock.advance(60_000)
    const b = startWizard(env, 'PRIMARY_POSM')
    b.setStore('name', 'Store B')
    clock.advance(60_000)
    const c = startWizard(env)
    c.setStore('name', 'Store C')
    expect(env.root.drafts.sorted.map((d) => d.store.name)).toEqual(['Store C', 'Store B', 'Store A'])
    clock.advance(60_000)
    a.setStore('address', '3 Temasek Boulevard')
    expect(env.root.drafts.sorted.map((d) => d.store.name)).toEqual(['Store A', 'Store C', 'Store B'])

    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage, clock })
    expect(again.root.drafts.sorted.map((d) => [d.store.name, d.product])).toEqual([
      ['Store A', 'MARKETING_CODE'],
      ['Store C', 'MARKETING_CODE'],
      ['Store B', 'PRIMARY_POSM'],
    ])
    expect(new Set(again.root.drafts.drafts.map((d) => d.clientId)).size).toBe(3)
  })

  it('discard removes the draft (also after a restart) and its photos from the device', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const keep = startWizard(env)
    keep.setStore('name', 'Keep me')
    const wizard = startWizard(env)
    await fillStore(wizard)
    wizard.next()
    await fillSpots(env, wizard)
    const id = wizard.draftId
    const photos = [wizard.draft.store.storefrontPhoto?.localPath, wizard.draft.spots[0].photo?.localPath]

    env.root.drafts.discard(id)
    expect(env.root.drafts.get(id)).toBeNull()
    expect(promotionWizard(env.root, id)).toBeNull()
    expect(removedPaths(env).sort()).toEqual([...photos].sort())
    expect(env.storage.data.has(draftKey(id))).toBe(false)
    expect(env.storage.data.get(DRAFT_INDEX_KEY)).toEqual([keep.draftId])

    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage })
    expect(again.root.drafts.drafts.map((d) => d.store.name)).toEqual(['Keep me'])
  })

  it('discarding a Verify-Then-Deploy draft also removes its payment evidence photos', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    await fillPayment(wizard)
    const evidence = [wizard.draft.payment.MPM.photo?.localPath, wizard.draft.payment.UPM.photo?.localPath]
    expect(evidence).toEqual(['kept:p1.jpg', 'kept:p2.jpg'])
    env.root.drafts.discard(wizard.draftId)
    const removed = removedPaths(env)
    for (const p of evidence) expect(removed).toContain(p)
  })

  it('once a Verify-Then-Deploy promotion is sent, no photo of it is left on the device', async () => {
    const env = await promotionRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    const d = wizard.draft
    const all = [d.payment.MPM.photo, d.payment.UPM.photo, d.store.storefrontPhoto, ...d.spots.map((s) => s.photo)].map((p) => p?.localPath)
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('submitted')
    const removed = removedPaths(env)
    for (const p of all) expect(removed).toContain(p)
  })
})

describe('the outbox survives a restart', () => {
  it('an item that was being sent when the app stopped is sent again, once, as soon as somebody is signed in', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env)
    // the photos are taken offline (no check at capture, issue 26): the outbox uploads them
    runInAction(() => (env.root.outbox.online = false))
    await walkToSummary(env, wizard)
    runInAction(() => (env.root.outbox.online = true))
    const { id: draftId, clientId } = wizard.draft
    // the first upload never answers: the app is killed meanwhile
    env.platform.uploader.upload.mockImplementationOnce(() => new Promise(() => undefined))
    wizard.submit()
    await settle()
    expect(wizard.outboxItem?.status).toBe('sending')
    expect(storedItems(env.storage)[0].status).toBe('sending')

    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage })
    await settle()
    const resumed = promotionWizard(again.root, draftId)
    expect(resumed?.state).toBe('submitted')
    expect(again.root.outbox.forDraft(draftId)).toMatchObject({ status: 'sent', clientId, attempts: 2 })
    expect(again.server.promotionBodies.map((b) => b.clientId)).toEqual([clientId])
    expect(again.root.drafts.get(draftId)).toBeNull()
  })

  it('a waiting item keeps its last error and its uploaded photos across a restart, and goes after it', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY' })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    env.server.once('POST /api/promotions', () => ({ status: 503, data: {} }))
    wizard.submit()
    await settle()
    expect(wizard.outboxItem).toMatchObject({ status: 'pending', lastError: 'SERVER' })

    expect(storedItems(env.storage)[0]).toMatchObject({ status: 'pending', lastError: 'SERVER' })

    const again = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage: env.storage })
    await settle()
    expect(promotionWizard(again.root, wizard.draftId)?.state).toBe('submitted')
    expect(again.server.uploads).toEqual([]) // uploaded before the restart
    expect(again.server.promotionBodies[0].store.storefrontPhotoId).toBe('u-1')
  })
})

describe('a full storage', () => {
  it('sets drafts.storageFull and keeps the draft in memory; the next successful save clears it', async () => {
    const storage = memoryStorage()
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    const wizard = startWizard(env)
    const realSet = storage.set.getMockImplementation()
    storage.set.mockImplementation(() => {
      throw new StorageQuotaError()
    })
    wizard.setStore('name', 'Kopi Corner')
    expect(env.root.drafts.storageFull).toBe(true)
    expect(wizard.draft.store.name).toBe('Kopi Corner')
    await fillStore(wizard)
    expect(wizard.next()).toBe(true) // the wizard goes on in memory
    expect(wizard.state).toBe('spots')
    expect((storage.data.get(draftKey(wizard.draftId)) as PromotionDraft).store.name).toBe('')

    storage.set.mockImplementation(realSet)
    wizard.setStore('address', '12 Orchard Road, Singapore 238823')
    expect(env.root.drafts.storageFull).toBe(false)
    expect((storage.data.get(draftKey(wizard.draftId)) as PromotionDraft).step).toBe('spots')
  })

  it('a new draft that does not fit is reported even when the small index still fits', async () => {
    const storage = memoryStorage()
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    const realSet = storage.set.getMockImplementation() as (key: string, value: unknown) => void
    // the quota is hit by the draft itself, not by the short list of ids
    storage.set.mockImplementation((key: string, value: unknown) => {
      if (key.startsWith('posm.draft.')) throw new StorageQuotaError()
      realSet(key, value)
    })
    const wizard = startWizard(env)
    expect(wizard.draft).toBeTruthy()
    expect(env.root.drafts.storageFull).toBe(true)
  })

  it('a full storage while queueing a submission is reported by the outbox and the item is still sent', async () => {
    const storage = memoryStorage()
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', storage })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    const realSet = storage.set.getMockImplementation() as (key: string, value: unknown) => void
    storage.set.mockImplementation((key: string, value: unknown) => {
      if (key.startsWith('posm.outbox.item.')) throw new StorageQuotaError()
      realSet(key, value)
    })
    wizard.submit()
    expect(env.root.outbox.storageFull).toBe(true)
    await settle()
    expect(wizard.state).toBe('submitted')
  })
})
