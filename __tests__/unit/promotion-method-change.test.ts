/**
 * The ISO's deployment method changes while the staff member has open drafts and queued submissions
 * (issue 23, item 4): within the grace period a draft is submitted under the method it was started with;
 * after it, the app says what changed and moves the draft to the new method's steps, keeping everything
 * typed and photographed; a queued submission the server refuses for it is shown with the way forward.
 * Nothing is silently refused.
 */
import { METHOD_GRACE_DAYS } from '../../packages/contract/rules/method-agreement'
import type { PromotionCreate } from '../../packages/contract/promotion'
import { moveDraftToMethod, newDraft } from '../../src/rules/promotion-draft'
import { json } from '../helpers/fake-platform'
import {
  fillMerchant,
  fillPayment,
  fillSpots,
  fillStore,
  manualClock,
  promotionRoot,
  settle,
  startWizard,
  walkToSummary,
  type PromotionEnv,
} from '../helpers/promotion'

const DAY = 86_400_000

/** The coordinator agreed Verify-Then-Deploy instead of Deploy-Then-Verify, now; the app loads it. */
async function changeToVerifyFirst(env: PromotionEnv) {
  const changedAt = env.clock.date().toISOString()
  Object.assign(env.server.info, {
    method: 'VERIFY_THEN_DEPLOY',
    methodAgreement: {
      status: 'AGREED',
      agreed: 'VERIFY_THEN_DEPLOY',
      proposal: null,
      declineReason: null,
      previous: { method: 'DEPLOY_THEN_VERIFY', changedAt, acceptedUntil: new Date(env.clock.now() + METHOD_GRACE_DAYS * DAY).toISOString() },
    },
  })
  await env.root.workspace.load()
}

describe('moveDraftToMethod', () => {
  it('adds the payment step first (to Verify-Then-Deploy) or removes it (to Deploy-Then-Verify), keeping the rest', () => {
    const d = newDraft('d1', 'c1', 'MARKETING_CODE', 'DEPLOY_THEN_VERIFY', '2026-11-25T10:30:00.000Z')
    d.step = 'merchant'
    d.store.name = 'Kopi Corner'
    moveDraftToMethod(d, 'VERIFY_THEN_DEPLOY')
    expect([d.method, d.step, d.store.name]).toEqual(['VERIFY_THEN_DEPLOY', 'payment', 'Kopi Corner'])
    moveDraftToMethod(d, 'DEPLOY_THEN_VERIFY')
    expect([d.method, d.step, d.store.name]).toEqual(['DEPLOY_THEN_VERIFY', 'store', 'Kopi Corner'])
    d.step = 'spots'
    moveDraftToMethod(d, 'VERIFY_THEN_DEPLOY')
    moveDraftToMethod(d, 'VERIFY_THEN_DEPLOY')
    expect(d.step).toBe('payment')
  })
})

describe('a method change with open drafts', () => {
  it('within the grace period: the draft is submitted as it was started, and says until when', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', clock: manualClock() })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    await changeToVerifyFirst(env)

    expect(wizard.methodChange).toEqual({ from: 'DEPLOY_THEN_VERIFY', to: 'VERIFY_THEN_DEPLOY', mustMove: false })
    expect(wizard.submit()).toBe(true)
    await settle()
    const sent = env.server.promotionBodies.at(-1) as PromotionCreate
    expect(sent).toMatchObject({ method: 'DEPLOY_THEN_VERIFY', paymentVerificationIds: [] })
    expect(wizard.state).toBe('submitted')
  })

  it('after the grace period: Submit says why and the draft continues under the new method with everything kept', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', clock: manualClock() })
    const wizard = startWizard(env)
    await walkToSummary(env, wizard)
    const typed = { store: wizard.draft.store.name, photo: wizard.draft.store.storefrontPhoto?.localPath, code: wizard.draft.spots[0].marketingCode }
    await changeToVerifyFirst(env)
    env.clock.advance((METHOD_GRACE_DAYS + 1) * DAY)

    expect(wizard.methodChange).toEqual({ from: 'DEPLOY_THEN_VERIFY', to: 'VERIFY_THEN_DEPLOY', mustMove: true })
    // refused here, with the reason, before anything is sent
    expect(wizard.submit()).toBe(false)
    expect(wizard.fieldError('method')).toBe('METHOD_CHANGED')
    await settle()
    expect(env.server.promotionBodies).toHaveLength(0)

    wizard.continueUnderAgreedMethod()
    expect(wizard.methodChange).toBeNull()
    expect(wizard.state).toBe('payment')
    expect(wizard.steps).toEqual(['payment', 'store', 'spots', 'merchant', 'summary'])
    expect({ store: wizard.draft.store.name, photo: wizard.draft.store.storefrontPhoto?.localPath, code: wizard.draft.spots[0].marketingCode }).toEqual(typed)

    await fillPayment(wizard)
    for (const step of ['store', 'spots', 'merchant', 'summary']) {
      expect(wizard.next()).toBe(true)
      expect(wizard.state).toBe(step)
    }
    expect(wizard.submit()).toBe(true)
    await settle()
    const sent = env.server.promotionBodies.at(-1) as PromotionCreate
    expect(sent.method).toBe('VERIFY_THEN_DEPLOY')
    expect(sent.paymentVerificationIds).toHaveLength(2)
    expect(sent.store.name).toBe('Kopi Corner')
  })

  it('a queued submission the server refuses for the change is kept with the reason and continues under the new method', async () => {
    const env = await promotionRoot({ method: 'DEPLOY_THEN_VERIFY', clock: manualClock() })
    const wizard = startWizard(env)
    await fillStore(wizard)
    wizard.next()
    await fillSpots(env, wizard)
    wizard.next()
    fillMerchant(wizard)
    wizard.next()
    // the change was agreed (and its grace period ended) while this was on its way; the app had not seen it yet
    env.server.once('POST /api/promotions', () =>
      json(409, { error: { code: 'METHOD_CHANGED', message: 'Your ISO now follows VERIFY_THEN_DEPLOY.', fields: { method: 'METHOD_CHANGED' } } }),
    )
    expect(wizard.submit()).toBe(true)
    await settle()
    expect(wizard.state).toBe('refused')
    expect(wizard.outboxItem).toMatchObject({ status: 'refused', lastError: 'METHOD_CHANGED' })

    await changeToVerifyFirst(env)
    env.clock.advance((METHOD_GRACE_DAYS + 1) * DAY)
    expect(wizard.back()).toBe(true)
    expect(wizard.methodChange).toMatchObject({ to: 'VERIFY_THEN_DEPLOY', mustMove: true })
    wizard.continueUnderAgreedMethod()
    await fillPayment(wizard)
    while (wizard.state !== 'summary') expect(wizard.next()).toBe(true)
    expect(wizard.submit()).toBe(true)
    await settle()
    expect(wizard.state).toBe('submitted')
    const bodies = env.server.promotionBodies
    expect(bodies).toHaveLength(2)
    // the same promotion (one idempotency key), now under the new method
    expect(bodies[1]).toMatchObject({ clientId: bodies[0].clientId, method: 'VERIFY_THEN_DEPLOY' })
    expect(env.root.outbox.items.filter((i) => i.draftId === wizard.draftId)).toHaveLength(1)
  })
})
