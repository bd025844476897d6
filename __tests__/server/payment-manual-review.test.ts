import { translate } from '../../src/i18n'
import '../../src/i18n/all'
import { LOCALES } from '../../packages/contract/rules/locale'
import type { InspectionTask } from '../../packages/contract/inspection'
import type { PaymentVerificationView, PromotionView } from '../../packages/contract/promotion'
import { renderCard } from '../../server/src/notifications/messages'
import { passedLabelKey } from '../../src/rules/payment-label'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { getTask, inspectionEvidence, SEEDED, verify } from './inspection-fixtures'
import { createPromotion, evidence, freshReference, passedVerifications, promotionBody } from './promotion-fixtures'

/**
 * Manual review (PAYMENT_VERIFICATION=manual, issue 25): nothing is looked up; the evidence is stored and labelled
 * "Evidence submitted — checked by a reviewer" (never "Verified") in the app and the console; the Alipay+
 * reviewer confirms or rejects each mode; the staff member is notified.
 */
describe('manual payment review', () => {
  let server: TestServer
  let chen: string
  let dao: string
  beforeEach(async () => {
    server = await startTestServer({ payments: { settings: { mode: 'manual', alipayPlus: null } } })
    chen = await server.signIn('staff-chen')
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const post = (url: string, token: string, body: unknown) => server.api('POST', url, { token, body })
  const notification = (eventKey: string) =>
    server.db.get<{ staff_id: string; kind: string; params_json: string }>('SELECT staff_id, kind, params_json FROM notifications WHERE event_key = ?', [
      eventKey,
    ])

  it('goes from the staff member to the reviewer and back: confirm one mode, reject the other, staff notified', async () => {
    const created = await createPromotion(server, dao, await promotionBody(server, dao, { product: 'PRIMARY_POSM', spots: 1 }))
    const url = `/api/promotions/${created.id}/payment-verifications`
    await post(url, dao, await evidence(server, dao, 'MPM'))
    const submitted = (await post(url, dao, await evidence(server, dao, 'UPM'))).json() as PromotionView
    // submitted evidence counts for its mode: the promotion goes to review, its payments await the reviewer
    expect(submitted.status).toBe('PENDING_REVIEW')
    expect(submitted.paymentVerifications).toEqual([
      expect.objectContaining({ mode: 'MPM', status: 'PASSED', checkedBy: 'REVIEWER', review: { status: 'PENDING', reason: null } }),
      expect.objectContaining({ mode: 'UPM', status: 'PASSED', checkedBy: 'REVIEWER', review: { status: 'PENDING', reason: null } }),
    ])
    // the app's label for it
    expect(translate('en', passedLabelKey(submitted.paymentVerifications[0]))).toBe('Evidence submitted — checked by a reviewer')

    const page = await server.consoleGet(`/console/promotions/${created.id}`)
    expect(page.body.match(/Evidence submitted — checked by a reviewer/g)).toHaveLength(2)
    expect(page.body).not.toMatch(/<td class="status-PASSED">Passed/)
    const [mpm, upm] = submitted.paymentVerifications

    // the store and the spot approved: still in review, the payments are not decided
    await server.consolePost(`/console/promotions/${created.id}/store/approve`, {})
    await server.consolePost(`/console/promotions/${created.id}/spots/0/approve`, {})
    expect(((await server.api('GET', `/api/promotions/${created.id}`, { token: dao })).json() as PromotionView).status).toBe('PENDING_REVIEW')

    const confirm = await server.consolePost(`/console/payment-verifications/${mpm.id}/confirm`, {})
    expect([confirm.statusCode, confirm.headers.location]).toEqual([303, `/console/promotions/${created.id}?done=payment-confirmed`])
    expect(await notification(`payment:${mpm.id}:CONFIRMED`)).toMatchObject({ staff_id: 'staff-dao', kind: 'PAYMENT_CONFIRMED' })

    const noReason = await server.consolePost(`/console/payment-verifications/${upm.id}/reject`, { reason: '  ' })
    expect(noReason.statusCode).toBe(400)
    const reject = await server.consolePost(`/console/payment-verifications/${upm.id}/reject`, { reason: 'The photo shows another store’s receipt' })
    expect(reject.statusCode).toBe(303)
    const rejected = await notification(`payment:${upm.id}:REJECTED`)
    expect(rejected).toMatchObject({ staff_id: 'staff-dao', kind: 'PAYMENT_REJECTED' })
    expect(JSON.parse(rejected!.params_json)).toEqual({
      mode: 'UPM',
      store: 'Kedai Kopi Sentosa',
      promotionId: created.id,
      reason: 'The photo shows another store’s receipt',
      // the store and the spot approved: verifying that payment again is the next step (payment-rejected.test.ts)
      next: 'VERIFY_AGAIN',
    })
    expect((await server.consolePost(`/console/payment-verifications/${upm.id}/confirm`, {})).statusCode).toBe(409)

    // everything decided, one payment rejected: the promotion awaits that payment's verification again, and the
    // staff member sees why
    const after = (await server.api('GET', `/api/promotions/${created.id}`, { token: dao })).json() as PromotionView
    expect(after.status).toBe('AWAITING_PAYMENT_VERIFICATION')
    expect(after.paymentVerifications).toEqual([
      expect.objectContaining({ mode: 'MPM', status: 'PASSED', review: { status: 'CONFIRMED', reason: null } }),
      expect.objectContaining({
        mode: 'UPM',
        status: 'FAILED',
        reason: 'PAYMENT_REJECTED',
        review: { status: 'REJECTED', reason: 'The photo shows another store’s receipt' },
      }),
    ])
    expect(translate('en', passedLabelKey(after.paymentVerifications[0]))).toBe('Confirmed by the reviewer')
    const history = (await server.consoleGet(`/console/promotions/${created.id}`)).body
    expect(history).toContain('Rejected by the reviewer')
    expect(history).toContain('Confirmed by the reviewer')
  })

  it('approves the promotion once the store, the spots and both payments are confirmed', async () => {
    const ids = await passedVerifications(server, chen) // Verify-Then-Deploy, evidence submitted
    const created = await createPromotion(server, chen, await promotionBody(server, chen, { spots: 1, paymentVerificationIds: ids }))
    expect(created.status).toBe('PENDING_REVIEW')
    await server.consolePost(`/console/promotions/${created.id}/store/approve`, {})
    for (const id of ids) await server.consolePost(`/console/payment-verifications/${id}/confirm`, {})
    expect(((await server.api('GET', `/api/promotions/${created.id}`, { token: chen })).json() as PromotionView).status).toBe('PENDING_REVIEW')
    await server.consolePost(`/console/promotions/${created.id}/spots/0/approve`, {})
    expect(((await server.api('GET', `/api/promotions/${created.id}`, { token: chen })).json() as PromotionView).status).toBe('APPROVED')
  })

  it('keeps the rules that need no lookup: a reference used once, both modes different', async () => {
    const reference = freshReference()
    const mpm = await post('/api/payment-verifications', chen, await evidence(server, chen, 'MPM', { reference }))
    expect((mpm.json() as PaymentVerificationView).checkedBy).toBe('REVIEWER')
    const upm = await post('/api/payment-verifications', chen, await evidence(server, chen, 'UPM', { reference }))
    expect([upm.statusCode, errorOf(upm).code]).toEqual([409, 'PAYMENT_ALREADY_USED'])
  })

  it('works the same for an inspection: submitted, then confirmed by the reviewer, the staff member notified', async () => {
    const kopi: InspectionTask = await getTask(server, chen, SEEDED.kopi)
    const res = await verify(server, chen, kopi.id, await inspectionEvidence(server, chen, kopi, 'MPM'))
    const view = res.json() as PaymentVerificationView
    expect(view).toMatchObject({ status: 'PASSED', checkedBy: 'REVIEWER', review: { status: 'PENDING' } })
    const page = await server.consoleGet(`/console/inspections/${kopi.id}`)
    expect(page.body).toContain('Evidence submitted — checked by a reviewer')
    const confirm = await server.consolePost(`/console/payment-verifications/${view.id}/confirm`, {})
    expect(confirm.headers.location).toBe(`/console/inspections/${kopi.id}?done=payment-confirmed`)
    expect(JSON.parse((await notification(`payment:${view.id}:CONFIRMED`))!.params_json)).toMatchObject({ mode: 'MPM', taskId: kopi.id })
  })

  it('a payment looked up is not for the reviewer to decide', async () => {
    const looked = await startTestServer()
    try {
      const token = await looked.signIn('staff-chen')
      const view = (
        await looked.api('POST', '/api/payment-verifications', { token, body: await evidence(looked, token, 'MPM') })
      ).json() as PaymentVerificationView
      expect(view.checkedBy).toBe('SIMULATOR')
      expect(translate('en', passedLabelKey(view))).toBe('Verified')
      expect((await looked.consolePost(`/console/payment-verifications/${view.id}/confirm`, {})).statusCode).toBe(404)
    } finally {
      await looked.close()
    }
  })

  it('tells the staff member in their working language', () => {
    for (const locale of LOCALES) {
      const card = renderCard({ kind: 'PAYMENT_REJECTED', params: { mode: 'UPM', store: 'Toko *Maju*', promotionId: 'prm-1', reason: 'blurred' } }, locale)
      expect(card.markdown).toContain(translate(locale, 'payment.mode.UPM'))
      expect(card.markdown).toContain('Toko \\*Maju\\*')
      expect(card.singleUrl).toBe('eapp://pages/results/detail/index?id=prm-1')
      if (locale !== 'en') {
        expect(translate(locale, 'payment.submitted')).not.toBe(translate('en', 'payment.submitted'))
        expect(card.title).not.toBe(translate('en', 'notify.payment.rejected.title'))
      }
    }
  })
})
