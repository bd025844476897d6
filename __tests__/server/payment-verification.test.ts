import type { ApiErrorBody } from '../../packages/contract/errors'
import type { InspectionTask } from '../../packages/contract/inspection'
import type { PaymentVerificationView, PromotionView } from '../../packages/contract/promotion'
import { isoTimeWithZone } from '../../server/src/payments/signature'
import { FakeAlipayPlus, rsaKeyPair, type FakePayment } from '../helpers/fake-alipayplus'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { getTask, inspectionEvidence, SEEDED, verify } from './inspection-fixtures'
import { createPromotion, evidence, promotionBody } from './promotion-fixtures'

/**
 * The rules of a payment verification (issue 25, item 2), for promotions and inspections, with the server
 * looking payments up in the fake Alipay+ (loopback) through the same client that talks to Alipay+.
 */
describe('payment verification through Alipay+', () => {
  const ours = rsaKeyPair()
  const CLIENT_ID = 'WORKSPACE_TEST'
  let fake: FakeAlipayPlus
  let server: TestServer
  let chen: string // Lion City: Verify-Then-Deploy
  let dao: string // Nusantara: Deploy-Then-Verify
  let nextId = 1

  beforeEach(async () => {
    let serverClock: (() => Date) | null = null
    fake = new FakeAlipayPlus({ clientId: CLIENT_ID, clientPublicKey: ours.publicKeyPem, now: () => (serverClock ? serverClock() : new Date()) })
    await fake.start()
    server = await startTestServer({
      payments: fake.serverPayments(ours, { windowMinutes: 120 }),
    })
    serverClock = () => server.clock.now()
    chen = await server.signIn('staff-chen')
    dao = await server.signIn('staff-dao')
  })
  afterEach(async () => {
    await server.close()
    await fake.close()
  })

  const post = (url: string, token: string, body: unknown) => server.api('POST', url, { token, body })
  const minutesAgo = (m: number) => isoTimeWithZone(new Date(server.clock.now().getTime() - m * 60_000))
  /** A payment made in the fake Alipay+ (a reference in the app's format: AP and 18 digits). */
  function pay(payment: Partial<FakePayment> = {}): string {
    const id = `AP${String(2025030300000000 + nextId++ * 7).padStart(18, '0')}`
    fake.script(id, { behaviour: 'success', paymentTime: minutesAgo(5), amount: { value: '250', currency: 'SGD' }, walletBrandName: 'GCash', ...payment })
    return id
  }
  const verifyFirst = async (token: string, mode: 'MPM' | 'UPM', reference: string, overrides: Record<string, unknown> = {}) =>
    post('/api/payment-verifications', token, await evidence(server, token, mode, { reference, ...overrides }))

  describe('a promotion verified first (Verify-Then-Deploy)', () => {
    it.each([
      ['Alipay+ Linker', 'ALIPAY_PLUS_LINKER', ['GCASH', 'ALIPAY']],
      ['the Alipay app', 'ALIPAY', ['ALIPAY']],
    ])('passes both modes paid in the store, with %s, and keeps what Alipay+ said about each payment', async (_label, tool, wallets) => {
      for (const mode of ['MPM', 'UPM'] as const) {
        const reference = pay({ walletBrandName: mode === 'MPM' ? 'GCash' : 'Alipay' })
        const res = await verifyFirst(chen, mode, reference, { tool, wallets })
        expect(res.statusCode).toBe(200)
        expect(res.json()).toMatchObject({
          mode,
          tool,
          status: 'PASSED',
          reason: null,
          checkedBy: 'ALIPAY_PLUS',
          payment: { paymentId: reference, time: minutesAgo(5), amount: { value: '250', currency: 'SGD' }, wallet: mode === 'MPM' ? 'GCash' : 'Alipay' },
        })
      }
      // each lookup was one signed inquiry that the fake accepted
      expect(fake.inquiries.map((i) => i.answered)).toEqual(['SUCCESS', 'SUCCESS'])
    })

    it('records a payment Alipay+ does not know (ORDER_NOT_EXIST) as not found, and a closed one as closed', async () => {
      const notFound = await verifyFirst(chen, 'MPM', 'AP202503039999999999')
      expect(notFound.json()).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_NOT_FOUND' })
      const closed = await verifyFirst(chen, 'MPM', pay({ behaviour: 'closed' }))
      expect(closed.json()).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_CLOSED' })
    })

    it('says "not finished yet" for a payment in process, records nothing, and passes it once it succeeded', async () => {
      const reference = pay({ behaviour: 'in-process-then-success' })
      const body = await evidence(server, chen, 'MPM', { reference })
      const first = await post('/api/payment-verifications', chen, body)
      expect([first.statusCode, errorOf(first).code, errorOf(first).fields]).toEqual([409, 'PAYMENT_IN_PROCESS', { reference: 'PAYMENT_IN_PROCESS' }])
      expect(await server.db.all('SELECT id FROM payment_verifications WHERE reference = ?', [reference])).toEqual([])
      // a minute later, the same evidence (the draft kept it)
      server.clock.advance({ minutes: 1 })
      const again = await post('/api/payment-verifications', chen, body)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toMatchObject({ status: 'PASSED' })
    })

    it('asks to try again when Alipay+ answers U (UNKNOWN_EXCEPTION) or not at all, and refuses a forged answer', async () => {
      const unknown = await verifyFirst(chen, 'MPM', pay({ behaviour: 'unknown' }))
      expect([unknown.statusCode, errorOf(unknown).code]).toEqual([503, 'PAYMENT_LOOKUP_UNAVAILABLE'])
      const down = await verifyFirst(chen, 'MPM', pay({ behaviour: '5xx' }))
      expect([down.statusCode, errorOf(down).code]).toEqual([503, 'PAYMENT_LOOKUP_UNAVAILABLE'])
      const forged = await verifyFirst(chen, 'MPM', pay({ behaviour: 'bad-signature' }))
      expect([forged.statusCode, errorOf(forged).code]).toEqual([503, 'PAYMENT_LOOKUP_MISCONFIGURED'])
      expect(await server.db.all('SELECT id FROM payment_verifications WHERE checked_by IS NOT NULL')).toEqual([])
    })

    it('refuses a payment made outside the visit: before the window, before the wizard started, or ahead of now', async () => {
      const old = await verifyFirst(chen, 'MPM', pay({ paymentTime: minutesAgo(180) }))
      expect(old.json()).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_OUTSIDE_VISIT', payment: { time: minutesAgo(180) } })
      const beforeStart = await verifyFirst(chen, 'MPM', pay({ paymentTime: minutesAgo(30) }), {
        startedAt: new Date(server.clock.now().getTime() - 10 * 60_000).toISOString(),
      })
      expect(beforeStart.json()).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_OUTSIDE_VISIT' })
      const ahead = await verifyFirst(chen, 'MPM', pay({ paymentTime: minutesAgo(-30) }))
      expect(ahead.json()).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_OUTSIDE_VISIT' })
      const inVisit = await verifyFirst(chen, 'MPM', pay({ paymentTime: minutesAgo(8) }), {
        startedAt: new Date(server.clock.now().getTime() - 10 * 60_000).toISOString(),
      })
      expect(inVisit.json()).toMatchObject({ status: 'PASSED' })
    })

    it('places the visit by how long it has lasted on the phone, whatever the phone’s clock says', async () => {
      // a phone whose clock runs 2 hours behind: the wizard started 10 minutes ago by its clock, sent now by its clock
      const phone = (minutes: number) => new Date(server.clock.now().getTime() - 120 * 60_000 - minutes * 60_000).toISOString()
      const visit = { startedAt: phone(10), sentAt: phone(0) }
      // paid 8 minutes ago (by Alipay+'s clock): within the visit, though the phone's start is 2 hours back
      expect((await verifyFirst(chen, 'MPM', pay({ paymentTime: minutesAgo(8) }), visit)).json()).toMatchObject({ status: 'PASSED' })
      // paid 30 minutes ago: before the visit started 10 minutes ago, though after the phone's start as it wrote it
      expect((await verifyFirst(chen, 'UPM', pay({ paymentTime: minutesAgo(30) }), visit)).json()).toMatchObject({
        status: 'FAILED',
        reason: 'PAYMENT_OUTSIDE_VISIT',
      })
      // a phone 2 hours ahead: the payment 8 minutes ago is still this visit's
      const ahead = (minutes: number) => new Date(server.clock.now().getTime() + 120 * 60_000 - minutes * 60_000).toISOString()
      expect((await verifyFirst(chen, 'UPM', pay({ paymentTime: minutesAgo(8) }), { startedAt: ahead(10), sentAt: ahead(0) })).json()).toMatchObject({
        status: 'PASSED',
      })
    })
  })

  describe('a payment is used once', () => {
    it('refuses the same payment for the other mode: two different payments', async () => {
      const reference = pay()
      const mpm = (await verifyFirst(chen, 'MPM', reference)).json() as PaymentVerificationView
      expect(mpm.status).toBe('PASSED')
      const upm = await verifyFirst(chen, 'UPM', reference)
      expect(upm.statusCode).toBe(409)
      expect((upm.json() as ApiErrorBody).error).toMatchObject({
        code: 'PAYMENT_ALREADY_USED',
        fields: { reference: 'PAYMENT_ALREADY_USED' },
        usedFor: { mode: 'MPM' },
      })
    })

    it('answers the same evidence sent again with the record it made, not a refusal', async () => {
      const body = await evidence(server, chen, 'MPM', { reference: pay() })
      const first = (await post('/api/payment-verifications', chen, body)).json() as PaymentVerificationView
      const again = await post('/api/payment-verifications', chen, body)
      expect([again.statusCode, (again.json() as PaymentVerificationView).id]).toEqual([200, first.id])
    })

    it('refuses a payment of one promotion for another (naming it) and for another staff member (naming nothing)', async () => {
      // Deploy-Then-Verify: dao's promotion verified with two payments
      const created = await createPromotion(server, dao, await promotionBody(server, dao, { product: 'PRIMARY_POSM' }))
      const url = `/api/promotions/${created.id}/payment-verifications`
      const mpmRef = pay()
      expect(((await post(url, dao, await evidence(server, dao, 'MPM', { reference: mpmRef }))).json() as PromotionView).status).toBe(
        'AWAITING_PAYMENT_VERIFICATION',
      )
      const done = (await post(url, dao, await evidence(server, dao, 'UPM', { reference: pay() }))).json() as PromotionView
      expect(done.status).toBe('PENDING_REVIEW')
      expect(done.paymentVerifications.map((v) => v.payment?.wallet)).toEqual(['GCash', 'GCash'])

      const second = await createPromotion(server, dao, await promotionBody(server, dao, { product: 'PRIMARY_POSM' }))
      const reused = await post(`/api/promotions/${second.id}/payment-verifications`, dao, await evidence(server, dao, 'MPM', { reference: mpmRef }))
      expect(reused.statusCode).toBe(409)
      expect((reused.json() as ApiErrorBody).error).toMatchObject({ code: 'PAYMENT_ALREADY_USED', usedFor: { promotionId: created.id, mode: 'MPM' } })

      const otherStaff = await verifyFirst(chen, 'MPM', mpmRef)
      expect(otherStaff.statusCode).toBe(409)
      expect((otherStaff.json() as ApiErrorBody).error.code).toBe('PAYMENT_ALREADY_USED')
      expect((otherStaff.json() as ApiErrorBody).error).not.toHaveProperty('usedFor')
      expect(otherStaff.body).not.toContain(created.id)
    })

    it('counts across promotions and inspections, with both tools', async () => {
      const kopi: InspectionTask = await getTask(server, chen, SEEDED.kopi) // Alipay+ Linker store
      const laksa: InspectionTask = await getTask(server, chen, SEEDED.laksa) // Alipay-only store
      const kopiRef = pay()
      const ok = await verify(server, chen, kopi.id, await inspectionEvidence(server, chen, kopi, 'MPM', { reference: kopiRef }))
      expect(ok.json()).toMatchObject({ status: 'PASSED', tool: 'ALIPAY_PLUS_LINKER', checkedBy: 'ALIPAY_PLUS', payment: { paymentId: kopiRef } })
      const laksaOk = await verify(server, chen, laksa.id, await inspectionEvidence(server, chen, laksa, 'UPM', { reference: pay() }))
      expect(laksaOk.json()).toMatchObject({ status: 'PASSED', tool: 'ALIPAY' })
      // the inspection's payment, then for a promotion: refused, naming the inspection
      const inPromotion = await verifyFirst(chen, 'MPM', kopiRef)
      expect((inPromotion.json() as ApiErrorBody).error).toMatchObject({ code: 'PAYMENT_ALREADY_USED', usedFor: { inspectionId: kopi.id, mode: 'MPM' } })
      // a promotion's payment, then for an inspection: refused too
      const promoRef = pay()
      expect((await verifyFirst(chen, 'UPM', promoRef)).json()).toMatchObject({ status: 'PASSED' })
      const inInspection = await verify(server, chen, laksa.id, await inspectionEvidence(server, chen, laksa, 'MPM', { reference: promoRef }))
      expect((inInspection.json() as ApiErrorBody).error).toMatchObject({ code: 'PAYMENT_ALREADY_USED', usedFor: { mode: 'UPM' } })
      // an inspection's payment not finished yet: kept as a draft (nothing recorded)
      const later = await verify(
        server,
        chen,
        laksa.id,
        await inspectionEvidence(server, chen, laksa, 'MPM', { reference: pay({ behaviour: 'in-process-then-success' }) }),
      )
      expect([later.statusCode, errorOf(later).code]).toEqual([409, 'PAYMENT_IN_PROCESS'])
    })
  })

  it('logs the Alipay+ calls made for a request with its request id, never the private key', async () => {
    const lines: string[] = []
    const logged = await startTestServer({
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
      payments: fake.serverPayments(ours, { retries: 0 }),
    })
    try {
      const token = await logged.signIn('staff-chen')
      fake.script('AP202503030000077777', { behaviour: 'bad-signature' })
      const res = await logged.api('POST', '/api/payment-verifications', {
        token,
        body: await evidence(logged, token, 'MPM', { reference: 'AP202503030000077777' }),
      })
      expect(errorOf(res).code).toBe('PAYMENT_LOOKUP_MISCONFIGURED')
      const call = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.alipayplus === 'inquiryPayment')
      expect(call).toMatchObject({ outcome: expect.any(String), reqId: expect.anything() })
      const body = ours.privateKeyPem.split('\n')[2]
      expect(lines.join('\n')).not.toContain(body)
    } finally {
      await logged.close()
    }
  })

  it('shows the reviewer the amount, currency, time and wallet beside the store', async () => {
    const created = await createPromotion(server, dao, await promotionBody(server, dao, { product: 'PRIMARY_POSM' }))
    const url = `/api/promotions/${created.id}/payment-verifications`
    await post(url, dao, await evidence(server, dao, 'MPM', { reference: pay({ amount: { value: '1200', currency: 'IDR' }, walletBrandName: 'DANA' }) }))
    const page = await server.consoleGet(`/console/promotions/${created.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('1200 IDR')
    expect(page.body).toContain('wallet DANA')
    expect(page.body).toContain('Looked up with Alipay+')
    expect(page.body).toContain('Kedai Kopi Sentosa')
  })
})
