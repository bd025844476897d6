/**
 * Modify: a draft copy of a rejected submission (server photos, the reviewer's reasons beside the rejected
 * parts), edited in the wizard without the payment step and sent as ONE resubmission through the outbox,
 * with the server photos named by their upload ids and never uploaded again.
 */
import { toJS } from 'mobx'
import { draftFromPromotion, draftPhotos, stepsOf, toPromotionCreate, type PromotionDraft } from '../../src/rules/promotion-draft'
import { promotionWizard } from '../../src/stores/wizard-store'
import { ResubmissionSchema, validate } from '../../packages/contract/schemas'
import { settle } from '../helpers/promotion'
import {
  PROMOTION_ID,
  SPOT_REJECTION,
  STORE_REJECTION,
  rejectedDetail,
  rejectedView,
  removedFiles,
  requestedUrls,
  resultsRoot,
  type ResultsEnv,
} from '../helpers/results'

const NOW = '2026-11-25T10:30:00.000Z'

describe('Modify: draftFromPromotion', () => {
  it('copies a PromotionView into a draft that modifies it, starting at the store, photos on the server', () => {
    const view = rejectedView()
    const draft = draftFromPromotion('d1', 'c-modify-0001', view, NOW)
    expect(draft).toMatchObject({
      id: 'd1',
      clientId: 'c-modify-0001',
      modifyOf: PROMOTION_ID,
      step: 'store',
      product: 'MARKETING_CODE',
      method: 'VERIFY_THEN_DEPLOY',
      createdAt: NOW,
      updatedAt: NOW,
    })
    expect(draft.clientId).not.toBe(view.clientId)
    expect(draft.store).toEqual({
      ...view.store,
      storefrontPhotoId: undefined,
      storefrontPhoto: { localPath: 'server:u-store', takenAt: view.createdAt, location: null },
    })
    expect(draft.spots).toEqual([
      {
        key: 'd1-s1',
        position: 'CASHIER_COUNTER',
        positionNote: '',
        photo: { localPath: 'server:u-spot0', takenAt: view.createdAt, location: null },
        marketingCode: 'APMC0000000000',
        materialType: '',
      },
      {
        key: 'd1-s2',
        position: 'OTHER',
        positionNote: 'Beside the fridge',
        photo: { localPath: 'server:u-spot1', takenAt: view.createdAt, location: null },
        marketingCode: 'APMC0000000001',
        materialType: '',
      },
    ])
    expect(draft.merchant).toEqual(view.merchant)
    expect(draft.rejections).toEqual({ store: STORE_REJECTION, spots: { 'd1-s2': SPOT_REJECTION } })
  })

  it('accepts a PromotionDetail (the results screen) the same way', () => {
    const fromDetail = draftFromPromotion('d1', 'c-modify-0001', rejectedDetail(), NOW)
    const fromView = draftFromPromotion('d1', 'c-modify-0001', rejectedView(), NOW)
    expect(fromDetail).toEqual(fromView)
  })

  it('a store that was not rejected has no store rejection; a rejection without a reason is kept as empty', () => {
    const view = rejectedView({ storeReview: { status: 'APPROVED', reason: null } })
    view.spots[0] = { ...view.spots[0], review: { status: 'REJECTED', reason: null } }
    const draft = draftFromPromotion('d2', 'c-modify-0002', view, NOW)
    expect(draft.rejections).toEqual({ store: null, spots: { 'd2-s1': '', 'd2-s2': SPOT_REJECTION } })
  })

  it('has no payment step even for Verify-Then-Deploy, and sends no payment verification ids', () => {
    const draft = draftFromPromotion('d1', 'c-modify-0001', rejectedView({ method: 'VERIFY_THEN_DEPLOY' }), NOW)
    expect(stepsOf(draft)).toEqual(['store', 'spots', 'merchant', 'summary'])
    const payload = toPromotionCreate(draft)
    expect(payload.paymentVerificationIds).toEqual([])
    expect(payload.store.storefrontPhotoId).toBe('server:u-store')
    expect(payload.spots.map((s) => s.photoId)).toEqual(['server:u-spot0', 'server:u-spot1'])
    expect(payload.spots[1]).toMatchObject({ position: 'OTHER', positionNote: 'Beside the fridge' })
    expect(draftPhotos(draft).map((p) => p.localPath)).toEqual(['server:u-store', 'server:u-spot0', 'server:u-spot1'])
  })
})

/** The Modify draft of the rejected promotion and its wizard. */
function modify(env: ResultsEnv) {
  const draft = env.root.drafts.createModify(rejectedDetail())
  const wizard = promotionWizard(env.root, draft.id)
  if (!wizard) throw new Error('no wizard')
  return { draft, wizard }
}

describe('Modify: the wizard over a modify draft', () => {
  it('has no payment step for Verify-Then-Deploy, Back from the store is refused', async () => {
    const env = await resultsRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const { wizard } = modify(env)
    expect(wizard.steps).toEqual(['store', 'spots', 'merchant', 'summary'])
    expect(wizard.state).toBe('store')
    expect(wizard.stepIndex).toBe(0)
    expect(wizard.back()).toBe(false)
    expect(wizard.state).toBe('store')
    expect(wizard.goTo('payment')).toBe(false)

    // the copy is complete: each Next is accepted, straight to the summary
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('spots')
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('summary')
    expect(wizard.errors).toEqual({})
    expect(wizard.back()).toBe(true)
    expect(wizard.back()).toBe(true)
    expect(wizard.back()).toBe(true)
    expect(wizard.state).toBe('store')
    expect(wizard.back()).toBe(false)
  })

  it('a first submission of the same workspace keeps its payment step (the steps of its method)', async () => {
    const env = await resultsRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const draft = env.root.drafts.create('MARKETING_CODE', 'VERIFY_THEN_DEPLOY')
    const wizard = promotionWizard(env.root, draft.id)
    expect(wizard?.steps[0]).toBe('payment')
    expect(wizard?.state).toBe('payment')
    expect(wizard?.rejection('store')).toBeNull()
  })

  it("rejection('store') and rejection({ spot }) answer the reviewer's reasons", async () => {
    const env = await resultsRoot()
    const { wizard, draft } = modify(env)
    const [approved, rejected] = draft.spots.map((s) => s.key)
    expect(wizard.rejection('store')).toBe(STORE_REJECTION)
    expect(wizard.rejection({ spot: rejected })).toBe(SPOT_REJECTION)
    expect(wizard.rejection({ spot: approved })).toBeNull()
    expect(wizard.rejection({ spot: 'no-such-spot' })).toBeNull()
  })

  it('drafts.createModify twice for the same promotion returns the same draft, also after a restart', async () => {
    const env = await resultsRoot()
    const first = env.root.drafts.createModify(rejectedDetail())
    const second = env.root.drafts.createModify(rejectedView())
    expect(second.id).toBe(first.id)
    expect(second.clientId).toBe(first.clientId)
    expect(env.root.drafts.drafts).toHaveLength(1)

    // an edit is kept, not overwritten by a fresh copy
    promotionWizard(env.root, first.id)?.setStore('name', 'Kopi Corner Orchard')
    const again = await resultsRoot({ storage: env.storage })
    const reopened = again.root.drafts.createModify(rejectedDetail())
    expect(reopened.id).toBe(first.id)
    expect(reopened.store.name).toBe('Kopi Corner Orchard')
    expect(again.root.drafts.drafts).toHaveLength(1)

    // another promotion has its own copy
    const other = again.root.drafts.createModify(rejectedDetail({ id: 'pr-8' }))
    expect(other.id).not.toBe(first.id)
    expect(again.root.drafts.drafts).toHaveLength(2)
  })
})

describe('Modify: submitting the resubmission', () => {
  /** A modify draft whose rejected spot got a new photo, at the summary. */
  async function readyToResubmit(env: ResultsEnv) {
    const { wizard, draft } = modify(env)
    expect(wizard.next()).toBe(true)
    await wizard.takeSpotPhoto(1, 'Spot')
    expect(wizard.next()).toBe(true)
    expect(wizard.next()).toBe(true)
    expect(wizard.state).toBe('summary')
    return { wizard, draft: toJS(wizard.draft) as PromotionDraft, draftId: draft.id }
  }

  it('queues ONE resubmission item for the promotion, without payment verification ids', async () => {
    const env = await resultsRoot({ method: 'VERIFY_THEN_DEPLOY' })
    env.root.outbox.online = false // hold it in the outbox to look at it
    const { wizard, draft } = await readyToResubmit(env)
    expect(wizard.submit()).toBe(true)
    expect(wizard.submit()).toBe(false)
    expect(wizard.state).toBe('submitting')
    expect(env.root.outbox.items).toHaveLength(1)
    const [item] = env.root.outbox.items
    expect(item).toMatchObject({
      kind: 'resubmission',
      targetId: PROMOTION_ID,
      draftId: draft.id,
      clientId: draft.clientId,
      status: 'pending',
      label: 'Kopi Corner',
    })
    expect(item.payload).not.toHaveProperty('paymentVerificationIds')
    expect(item.photos.map((p) => p.localPath)).toEqual(['server:u-store', 'server:u-spot0', 'kept:p1.jpg'])
  })

  it('posts to /api/promotions/<id>/resubmissions with the server upload ids, uploading only the new photo', async () => {
    const env = await resultsRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const { wizard, draft } = await readyToResubmit(env)
    expect(wizard.submit()).toBe(true)
    await settle()

    expect(env.upload).toHaveBeenCalledTimes(1)
    expect(env.upload.mock.calls.map((c) => (c as unknown[])[0])).toEqual([expect.objectContaining({ filePath: 'kept:p1.jpg' })])
    expect(env.upload.mock.calls.some((c) => String(((c as unknown[])[0] as { filePath: string }).filePath).startsWith('server:'))).toBe(false)
    expect(env.server.log.filter((l) => l !== 'GET /api/promotions')).toEqual(['upload kept:p1.jpg', 'POST /api/promotions/:id/resubmissions'])
    expect(env.server.promotionBodies).toEqual([]) // never a second promotion
    expect(requestedUrls(env, '/api/promotions/')).toEqual([`/api/promotions/${PROMOTION_ID}/resubmissions`])

    const [body] = env.results.resubmissionBodies
    expect(env.results.resubmissionBodies).toHaveLength(1)
    expect(body).not.toHaveProperty('paymentVerificationIds')
    expect(body).toEqual({
      clientId: draft.clientId,
      product: 'MARKETING_CODE',
      store: { ...rejectedView().store, storefrontPhotoId: 'u-store' },
      spots: [
        { position: 'CASHIER_COUNTER', photoId: 'u-spot0', marketingCode: 'APMC0000000000' },
        { position: 'OTHER', positionNote: 'Beside the fridge', photoId: 'u-1', marketingCode: 'APMC0000000001' },
      ],
      merchant: rejectedView().merchant,
    })
    expect(validate(ResubmissionSchema, body).ok).toBe(true)
  })

  it('after the server answers: the modify draft is discarded, the wizard is submitted, the result is updated', async () => {
    const env = await resultsRoot({ method: 'VERIFY_THEN_DEPLOY' })
    await env.root.results.loadList()
    const { wizard, draftId } = await readyToResubmit(env)
    wizard.submit()
    await settle()
    expect(wizard.outboxItem).toMatchObject({ status: 'sent', kind: 'resubmission', lastError: null })
    expect(wizard.state).toBe('submitted')
    expect(env.root.drafts.get(draftId)).toBeNull()
    expect(env.root.drafts.drafts).toEqual([])
    expect(env.root.results.details.get(PROMOTION_ID)?.listStatus).toBe('PENDING_REVIEW')
    expect(env.root.results.items[0].listStatus).toBe('PENDING_REVIEW')
    expect(wizard.next()).toBe(false)
    expect(wizard.back()).toBe(false)
    expect(wizard.submit()).toBe(false)

    // a new Modify of the same promotion is a new copy (the old one is gone)
    const again = env.root.drafts.createModify(rejectedDetail())
    expect(again.id).not.toBe(draftId)
  })

  it('a Modify of a Deploy-Then-Verify promotion is sent the same way', async () => {
    const env = await resultsRoot({ method: 'DEPLOY_THEN_VERIFY', promotions: [rejectedDetail({ method: 'DEPLOY_THEN_VERIFY' })] })
    const draft = env.root.drafts.createModify(rejectedDetail({ method: 'DEPLOY_THEN_VERIFY' }))
    const wizard = promotionWizard(env.root, draft.id)
    expect(wizard?.steps).toEqual(['store', 'spots', 'merchant', 'summary'])
    wizard?.next()
    wizard?.next()
    wizard?.next()
    expect(wizard?.submit()).toBe(true)
    await settle()
    expect(env.upload).not.toHaveBeenCalled()
    expect(env.results.resubmissionBodies.map((b) => [b.store.storefrontPhotoId, ...b.spots.map((s) => s.photoId)])).toEqual([
      ['u-store', 'u-spot0', 'u-spot1'],
    ])
    expect(wizard?.state).toBe('submitted')
  })

  it('never asks the device to remove a server photo (only the newly taken one)', async () => {
    const env = await resultsRoot({ method: 'VERIFY_THEN_DEPLOY' })
    const { wizard } = await readyToResubmit(env)
    wizard.submit()
    await settle()
    expect(wizard.state).toBe('submitted')
    expect(removedFiles(env)).toContain('kept:p1.jpg')
    expect(removedFiles(env).filter((p) => p.startsWith('server:'))).toEqual([])
  })

  it('discarding a modify draft never asks the device to remove its server photos', async () => {
    const env = await resultsRoot()
    const { draft } = modify(env)
    env.root.drafts.discard(draft.id)
    expect(removedFiles(env).filter((p) => p.startsWith('server:'))).toEqual([])
  })
})
