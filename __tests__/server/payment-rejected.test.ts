import { translate } from '../../src/i18n'
import '../../src/i18n/all'
import { LOCALES } from '../../packages/contract/rules/locale'
import type { PromotionView } from '../../packages/contract/promotion'
import { renderCard } from '../../server/src/notifications/messages'
import { reviewOutcome } from '../../server/src/services/review'
import { startTestServer, type TestServer } from './helpers'
import { createPromotion, evidence, passedVerifications, promotionBody, uploadPhoto } from './promotion-fixtures'
import { appeal, detail, resubmissionOf, resubmit, review } from './results-fixtures'

/**
 * A payment the reviewer rejected (manual review, issue 25): it is not overturned by an appeal (appeals are for
 * stores and spots) and never leaves the promotion APPROVED; the staff member gives new evidence for that mode
 * alone (the Deploy-Then-Verify path), which goes to the reviewer, and only the latest evidence of a mode counts.
 */
describe('a payment the reviewer rejected', () => {
  let server: TestServer
  let dao: string
  beforeEach(async () => {
    server = await startTestServer({ payments: { settings: { mode: 'manual', alipayPlus: null } } })
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const post = (url: string, body: unknown) => server.api('POST', url, { token: dao, body })
  const get = async (id: string) => (await server.api('GET', `/api/promotions/${id}`, { token: dao })).json() as PromotionView
  const notifications = (staffId: string) =>
    server.db.all<{ event_key: string; kind: string; params_json: string }>(
      'SELECT event_key, kind, params_json FROM notifications WHERE staff_id = ? ORDER BY event_key',
      [staffId],
    )
  const ok = async (url: string, form: Record<string, string> = {}) => {
    const res = await server.consolePost(url, form)
    expect([url, res.statusCode]).toEqual([url, 303])
  }

  /** Deploy-Then-Verify: a promotion with evidence for both modes, in review; answers it and its verification ids. */
  async function inReview(spots: number) {
    const created = await createPromotion(server, dao, await promotionBody(server, dao, { product: 'PRIMARY_POSM', spots }))
    await post(`/api/promotions/${created.id}/payment-verifications`, await evidence(server, dao, 'MPM'))
    const view = (await post(`/api/promotions/${created.id}/payment-verifications`, await evidence(server, dao, 'UPM'))).json() as PromotionView
    expect(view.status).toBe('PENDING_REVIEW')
    const [mpm, upm] = view.paymentVerifications
    return { id: created.id, mpm: mpm.id, upm: upm.id }
  }

  it('store and spots approved, a payment rejected: back to payment verification; new evidence for that mode alone → review → confirmed → APPROVED', async () => {
    const p = await inReview(1)
    await review(server, p.id, 'approve', ['approve'])
    await ok(`/console/payment-verifications/${p.mpm}/confirm`)
    await ok(`/console/payment-verifications/${p.upm}/reject`, { reason: 'The photo shows another store’s receipt' })

    // not REJECTED, not APPROVED: the staff member verifies that payment again
    expect((await get(p.id)).status).toBe('AWAITING_PAYMENT_VERIFICATION')
    const results = await detail(server, dao, p.id)
    expect(results.actions).toEqual({ appeal: false, modify: false, verifyPayment: true })
    // told once, by the payment's notice saying to verify it again; no "promotion approved" nor "rejected"
    const told = await notifications('staff-dao')
    expect(told.filter((n) => n.kind.startsWith('PROMOTION_'))).toEqual([])
    const rejected = told.find((n) => n.event_key === `payment:${p.upm}:REJECTED`)
    expect(JSON.parse(rejected!.params_json)).toMatchObject({ mode: 'UPM', promotionId: p.id, next: 'VERIFY_AGAIN' })
    expect(told.filter((n) => n.kind === 'PAYMENT_REJECTED')).toHaveLength(1)

    // the console shows the rejected payment and what comes next
    const page = (await server.consoleGet(`/console/promotions/${p.id}`)).body
    expect(page).toMatch(/data-payment-rejected>Payment rejected by the reviewer: .*User-presented \(UPM\).* — The photo shows another store’s receipt/)
    expect(page).toContain('The staff member verifies that payment again with a new payment')

    // the rejected payment itself is no evidence again (with another photo): refused, nothing recorded
    const rejectedReference = (await get(p.id)).paymentVerifications.find((v) => v.id === p.upm)!.reference
    const reused = await post(`/api/promotions/${p.id}/payment-verifications`, await evidence(server, dao, 'UPM', { reference: rejectedReference }))
    expect([reused.statusCode, reused.json().error.code, reused.json().error.fields]).toEqual([
      409,
      'PAYMENT_REJECTED_ALREADY',
      { reference: 'PAYMENT_REJECTED_ALREADY' },
    ])
    expect((await get(p.id)).paymentVerifications).toHaveLength(2)

    // new evidence for UPM alone (MPM stays confirmed): in review again, only the new evidence undecided
    const again = await post(`/api/promotions/${p.id}/payment-verifications`, await evidence(server, dao, 'UPM'))
    expect(again.statusCode).toBe(200)
    const back = again.json() as PromotionView
    expect(back.status).toBe('PENDING_REVIEW')
    expect(back.paymentVerifications.map((v) => [v.mode, v.review?.status])).toEqual([
      ['MPM', 'CONFIRMED'],
      ['UPM', 'REJECTED'],
      ['UPM', 'PENDING'],
    ])
    const queue = (await server.consoleGet(`/console/promotions/${p.id}`)).body
    expect(queue.match(/Confirm (MPM|UPM) payment/g)).toEqual(['Confirm UPM payment'])
    expect(queue).toMatch(new RegExp(`data-verification-id="${p.upm}" data-replaced`))
    expect(queue).not.toContain('data-payment-rejected')

    await ok(`/console/payment-verifications/${back.paymentVerifications[2].id}/confirm`)
    expect((await get(p.id)).status).toBe('APPROVED')
    expect((await notifications('staff-dao')).filter((n) => n.kind === 'PROMOTION_APPROVED')).toHaveLength(1)
  })

  it('a payment and a spot rejected: REJECTED; the accepted appeal approves the spot but not the payment → awaiting payment verification, never APPROVED', async () => {
    const p = await inReview(2)
    await review(server, p.id, 'approve', ['reject', 'approve'])
    await ok(`/console/payment-verifications/${p.mpm}/confirm`)
    await ok(`/console/payment-verifications/${p.upm}/reject`, { reason: 'Blurred receipt' })
    expect((await get(p.id)).status).toBe('REJECTED')
    const first = await notifications('staff-dao')
    expect(first.map((n) => n.kind).sort()).toEqual(['PAYMENT_CONFIRMED', 'PAYMENT_REJECTED', 'PROMOTION_REJECTED'])
    // modify or appeal first: the notice does not ask for the payment yet
    expect(JSON.parse(first.find((n) => n.kind === 'PAYMENT_REJECTED')!.params_json)).not.toHaveProperty('next')

    expect((await appeal(server, dao, p.id)).statusCode).toBe(201)
    const page = (await server.consoleGet(`/console/promotions/${p.id}`)).body
    expect(page).toContain('Accepting does not overturn the rejected payment (User-presented (UPM))')
    const appealId = (await detail(server, dao, p.id)).appeals[0].id
    const accept = await server.consolePost(`/console/promotions/${p.id}/appeals/${appealId}/accept`, {})
    expect(accept.statusCode).toBe(303)

    const after = await get(p.id)
    expect(after.status).toBe('AWAITING_PAYMENT_VERIFICATION')
    expect(after.spots.map((s) => s.review.status)).toEqual(['APPROVED', 'APPROVED'])
    expect((await detail(server, dao, p.id)).actions.verifyPayment).toBe(true)
    const told = await notifications('staff-dao')
    expect(told.filter((n) => n.kind === 'PROMOTION_APPROVED')).toEqual([])
    expect(JSON.parse(told.find((n) => n.event_key === `payment:${p.upm}:verify-again`)!.params_json)).toMatchObject({
      mode: 'UPM',
      promotionId: p.id,
      reason: 'Blurred receipt',
      next: 'VERIFY_AGAIN',
    })
    const notice = (await server.consoleGet(accept.headers.location as string)).body
    expect(notice).toContain('The rejected payment stays rejected: the promotion awaits a new payment verification.')

    const again = (await post(`/api/promotions/${p.id}/payment-verifications`, await evidence(server, dao, 'UPM'))).json() as PromotionView
    expect(again.status).toBe('PENDING_REVIEW')
    await ok(`/console/payment-verifications/${again.paymentVerifications[2].id}/confirm`)
    expect((await get(p.id)).status).toBe('APPROVED')
  })

  it('a payment and a spot rejected, then modified: once the spot is approved, back to payment verification', async () => {
    const p = await inReview(1)
    await review(server, p.id, 'approve', ['reject'])
    await ok(`/console/payment-verifications/${p.mpm}/confirm`)
    await ok(`/console/payment-verifications/${p.upm}/reject`, { reason: 'Blurred receipt' })
    const rejected = await get(p.id)
    expect(rejected.status).toBe('REJECTED')
    const body = resubmissionOf(rejected)
    body.spots[0].photoId = await uploadPhoto(server, dao) // the spot photographed again
    expect((await resubmit(server, dao, p.id, body)).statusCode).toBe(200)
    expect((await get(p.id)).status).toBe('PENDING_REVIEW')
    await ok(`/console/promotions/${p.id}/spots/0/approve`)
    expect((await get(p.id)).status).toBe('AWAITING_PAYMENT_VERIFICATION')
    expect((await notifications('staff-dao')).filter((n) => n.event_key === `payment:${p.upm}:verify-again`)).toHaveLength(1)
  })

  it('Verify-Then-Deploy the same: a rejected payment is verified again on the submitted promotion', async () => {
    const chen = await server.signIn('staff-chen')
    const ids = await passedVerifications(server, chen)
    const created = await createPromotion(server, chen, await promotionBody(server, chen, { spots: 1, paymentVerificationIds: ids }))
    await review(server, created.id, 'approve', ['approve'])
    await ok(`/console/payment-verifications/${ids[0]}/reject`, { reason: 'Another store’s receipt' })
    await ok(`/console/payment-verifications/${ids[1]}/confirm`)
    const queue = (await server.consoleGet('/console/promotions')).body
    expect(queue).toMatch(new RegExp(`id="awaiting-payment"[\\s\\S]*data-promotion-id="${created.id}"`))
    const again = await server.api('POST', `/api/promotions/${created.id}/payment-verifications`, { token: chen, body: await evidence(server, chen, 'MPM') })
    expect([again.statusCode, (again.json() as PromotionView).status]).toEqual([200, 'PENDING_REVIEW'])
  })

  it('the notice says to verify that payment again, in every working language, and opens the verify page', () => {
    const params = { mode: 'UPM' as const, store: 'Toko *Maju*', promotionId: 'prm-1', reason: 'blurred' }
    for (const locale of LOCALES) {
      const plain = renderCard({ kind: 'PAYMENT_REJECTED', params }, locale)
      const again = renderCard({ kind: 'PAYMENT_REJECTED', params: { ...params, next: 'VERIFY_AGAIN' as const } }, locale)
      expect(again.markdown).not.toBe(plain.markdown)
      expect(again.markdown).toContain(translate(locale, 'payment.mode.UPM'))
      expect(again.markdown).toContain('Toko \\*Maju\\*')
      expect(again.markdown).toContain('blurred')
      expect(again.singleUrl).toBe('eapp://pages/promotion/verify/index?id=prm-1')
      expect(plain.singleUrl).toBe('eapp://pages/results/detail/index?id=prm-1')
      if (locale !== 'en') expect(translate(locale, 'notify.payment.rejected.verifyAgain')).not.toBe(translate('en', 'notify.payment.rejected.verifyAgain'))
    }
    expect(renderCard({ kind: 'PAYMENT_REJECTED', params: { ...params, next: 'VERIFY_AGAIN' as const } }, 'en').markdown).toContain(
      'Make a new User-presented mode payment and verify it again',
    )
  })
})

describe('reviewOutcome (the rule written once)', () => {
  const pay = (status: 'PASSED' | 'FAILED', review: 'PENDING' | 'CONFIRMED' | 'REJECTED' | null) => ({ status, review_status: review })
  it.each([
    ['an item pending', ['APPROVED', 'PENDING'], [pay('PASSED', 'CONFIRMED')], 'PENDING'],
    ['a payment pending', ['APPROVED', 'REJECTED'], [pay('PASSED', 'PENDING')], 'PENDING'],
    ['a spot and a payment rejected', ['APPROVED', 'REJECTED'], [pay('FAILED', 'REJECTED')], 'REJECTED'],
    ['only a payment rejected', ['APPROVED', 'APPROVED'], [pay('PASSED', 'CONFIRMED'), pay('FAILED', 'REJECTED')], 'AWAITING_PAYMENT_VERIFICATION'],
    ['everything approved and confirmed', ['APPROVED', 'APPROVED'], [pay('PASSED', 'CONFIRMED'), pay('PASSED', null)], 'APPROVED'],
  ] as const)('%s → %s', (_name, items, payments, outcome) => {
    expect(reviewOutcome(items, payments)).toBe(outcome)
  })
})
