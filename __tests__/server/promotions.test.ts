import type { PaymentVerificationView, PromotionView, WorkspaceInfo } from '../../packages/contract/promotion'
import { minuteOfDayIn } from '../../packages/contract/rules/policy'
import { errorOf, startTestServer, type TestServer } from './helpers'
import {
  clientId,
  createPromotion,
  evidence,
  freshCode,
  MERCHANT,
  passedVerifications,
  png,
  promotionBody,
  storeInput,
  uploadPhoto,
} from './promotion-fixtures'

describe('promotions', () => {
  let server: TestServer
  let chen: string // Lion City: Verify-Then-Deploy, 5 spots, Asia/Singapore
  let dao: string // Nusantara: Deploy-Then-Verify, 3 spots, Asia/Jakarta
  beforeEach(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const post = (url: string, token: string, body: unknown) => server.api('POST', url, { token, body })

  describe('access', () => {
    it.each(['staff-aisyah', 'staff-budi', 'staff-emily'])('refuses %s (not associated) with 403 NOT_ASSOCIATED everywhere', async (staffId) => {
      const token = await server.signIn(staffId)
      const calls: Array<['GET' | 'POST', string]> = [
        ['GET', '/api/workspace'],
        ['POST', '/api/marketing-codes/check'],
        ['POST', '/api/payment-verifications'],
        ['POST', '/api/promotions'],
        ['GET', '/api/promotions'],
        ['GET', '/api/promotions/prm-seed-kopi'],
        ['POST', '/api/promotions/prm-seed-kopi/payment-verifications'],
        ['POST', '/api/uploads'],
        ['GET', '/api/uploads/upl-seed-storefront'],
      ]
      for (const [method, url] of calls) {
        const res = await server.api(method, url, { token, body: method === 'POST' ? { code: 'x' } : undefined })
        expect([url, res.statusCode]).toEqual([url, 403])
        expect(errorOf(res).code).toBe('NOT_ASSOCIATED')
      }
    })

    it('needs a session (401)', async () => {
      expect((await server.api('GET', '/api/workspace')).statusCode).toBe(401)
      expect((await server.api('POST', '/api/promotions', { body: {} })).statusCode).toBe(401)
    })

    it('opens once the staff member joins', async () => {
      const budi = await server.signIn('staff-budi')
      expect((await server.api('GET', '/api/workspace', { token: budi })).statusCode).toBe(403)
      await server.api('POST', '/api/association/join', { token: budi })
      expect((await server.api('GET', '/api/workspace', { token: budi })).json()).toMatchObject({ method: 'DEPLOY_THEN_VERIFY' })
    })
  })

  it('answers the workspace info of each ISO', async () => {
    const lion = (await server.api('GET', '/api/workspace', { token: chen })).json() as WorkspaceInfo
    expect(lion).toEqual({
      products: ['MARKETING_CODE', 'PRIMARY_POSM'],
      method: 'VERIFY_THEN_DEPLOY',
      methodAgreement: { status: 'AGREED', agreed: 'VERIFY_THEN_DEPLOY', proposal: null, declineReason: null, previous: null },
      maxSpotsPerStore: 5,
      timezone: 'Asia/Singapore',
      testAccount: { email: 'alipay.test.chen@lioncitypay.example', passwordSet: true },
      maxUploadBytes: 5 * 1024 * 1024,
    })
    const nusantara = (await server.api('GET', '/api/workspace', { token: dao })).json() as WorkspaceInfo
    expect(nusantara).toMatchObject({
      method: 'DEPLOY_THEN_VERIFY',
      maxSpotsPerStore: 3,
      timezone: 'Asia/Jakarta',
      testAccount: { email: 'alipay.test.dao@nusantara-ms.example' },
    })
  })

  describe('Marketing Code check', () => {
    it('answers a free code, in either form', async () => {
      const url = freshCode()
      const res = await post('/api/marketing-codes/check', dao, { code: `  ${url} ` })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ code: url.slice(-14), available: true })
      expect((await post('/api/marketing-codes/check', dao, { code: 'APMC00000000A9' })).json()).toEqual({ code: 'APMC00000000A9', available: true })
    })

    it.each([['https://example.com/mc/APMC0000000001'], ['APMC123'], ['apmc0000000009'], [''], [42], [null], ['x'.repeat(500)]])(
      'refuses %p with 422 CODE_INVALID',
      async (code) => {
        const res = await post('/api/marketing-codes/check', dao, { code })
        expect(res.statusCode).toBe(422)
        expect(errorOf(res).code).toBe('CODE_INVALID')
      },
    )

    it('refuses a bound code with 409 CODE_BOUND (the seeded APMC0000000001 and a submitted one)', async () => {
      const seeded = await post('/api/marketing-codes/check', dao, { code: 'https://marketing.alipayplus.example/mc/APMC0000000001' })
      expect(seeded.statusCode).toBe(409)
      expect(errorOf(seeded).code).toBe('CODE_BOUND')
      const body = await promotionBody(server, dao, { spots: 1 })
      await createPromotion(server, dao, body)
      expect(errorOf(await post('/api/marketing-codes/check', chen, { code: body.spots[0].marketingCode })).code).toBe('CODE_BOUND')
    })
  })

  describe('payment verification before the promotion (Verify-Then-Deploy)', () => {
    it('records a passed verification', async () => {
      const input = await evidence(server, chen, 'MPM')
      const res = await post('/api/payment-verifications', chen, input)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({
        mode: 'MPM',
        tool: 'ALIPAY_PLUS_LINKER',
        reference: input.reference,
        photoId: input.photoId,
        status: 'PASSED',
        reason: null,
      })
    })

    it('records a reference the back end does not find (…0000) as FAILED PAYMENT_NOT_FOUND', async () => {
      const res = await post('/api/payment-verifications', chen, await evidence(server, chen, 'UPM', { reference: 'AP123456789012340000' }))
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ status: 'FAILED', reason: 'PAYMENT_NOT_FOUND' })
    })

    it('refuses the other tool than the ISO’s rule names with 422 WRONG_PAYMENT_TOOL (Alipay-only stores use the Alipay app)', async () => {
      const alipayOnly = await post('/api/payment-verifications', chen, await evidence(server, chen, 'MPM', { wallets: ['ALIPAY'] }))
      expect([alipayOnly.statusCode, errorOf(alipayOnly).code]).toEqual([422, 'WRONG_PAYMENT_TOOL'])
      const right = await post('/api/payment-verifications', chen, await evidence(server, chen, 'MPM', { wallets: ['ALIPAY'], tool: 'ALIPAY' }))
      expect(right.json()).toMatchObject({ status: 'PASSED' })
      const linkerStore = await post('/api/payment-verifications', chen, await evidence(server, chen, 'MPM', { wallets: ['GCASH'], tool: 'ALIPAY' }))
      expect([linkerStore.statusCode, errorOf(linkerStore).code]).toEqual([422, 'WRONG_PAYMENT_TOOL'])
    })

    it('refuses a malformed reference or a bad payload with 400', async () => {
      for (const reference of ['AP123', 'XX123456789012345678', 'AP1234567890123456789']) {
        const res = await post('/api/payment-verifications', chen, await evidence(server, chen, 'MPM', { reference }))
        expect(res.statusCode).toBe(400)
        expect(errorOf(res).fields).toEqual({ reference: 'PAYMENT_REFERENCE_INVALID' })
      }
      const bad = await post('/api/payment-verifications', chen, { mode: 'XPM', tool: 'CASH', reference: 1, photoId: '', wallets: [] })
      expect(bad.statusCode).toBe(400)
      expect(errorOf(bad).fields).toMatchObject({ mode: 'CHOICE_REQUIRED', tool: 'CHOICE_REQUIRED', photoId: 'PHOTO_REQUIRED', wallets: 'WALLETS_REQUIRED' })
    })

    it("refuses a photo that is not this staff member's upload (422 PHOTO_MISSING)", async () => {
      const daosPhoto = await uploadPhoto(server, dao)
      for (const photoId of [daosPhoto, 'upl-nope']) {
        const res = await post('/api/payment-verifications', chen, await evidence(server, chen, 'MPM', { photoId }))
        expect(res.statusCode).toBe(422)
        expect(errorOf(res).code).toBe('PHOTO_MISSING')
      }
    })

    it('is refused to Deploy-Then-Verify staff (409 INVALID_STATE)', async () => {
      const res = await post('/api/payment-verifications', dao, await evidence(server, dao, 'MPM'))
      expect(res.statusCode).toBe(409)
      expect(errorOf(res).code).toBe('INVALID_STATE')
    })
  })

  describe('Verify-Then-Deploy submission', () => {
    it('needs passed verifications of both modes, attaches them and goes to review', async () => {
      const ids = await passedVerifications(server, chen)
      const none = await post('/api/promotions', chen, await promotionBody(server, chen))
      expect(none.statusCode).toBe(422)
      expect(errorOf(none)).toMatchObject({ code: 'PAYMENT_NOT_VERIFIED', fields: { paymentVerificationIds: 'PAYMENT_NOT_VERIFIED' } })
      const oneMode = await post('/api/promotions', chen, await promotionBody(server, chen, { paymentVerificationIds: [ids[0]] }))
      expect(errorOf(oneMode).code).toBe('PAYMENT_NOT_VERIFIED')
      const failed = (
        await post('/api/payment-verifications', chen, await evidence(server, chen, 'UPM', { reference: 'AP000000000000000000' }))
      ).json() as PaymentVerificationView
      const withFailed = await post('/api/promotions', chen, await promotionBody(server, chen, { paymentVerificationIds: [ids[0], failed.id] }))
      expect(errorOf(withFailed).code).toBe('PAYMENT_NOT_VERIFIED')
      // verified with Alipay+ Linker, but the store submitted accepts only Alipay
      const wrongStore = await post('/api/promotions', chen, await promotionBody(server, chen, { paymentVerificationIds: ids, store: { wallets: ['ALIPAY'] } }))
      expect(errorOf(wrongStore).code).toBe('PAYMENT_NOT_VERIFIED')

      const body = await promotionBody(server, chen, { paymentVerificationIds: ids })
      const created = await createPromotion(server, chen, body)
      expect(created).toMatchObject({ method: 'VERIFY_THEN_DEPLOY', status: 'PENDING_REVIEW', product: 'MARKETING_CODE', clientId: body.clientId })
      expect(created.paymentVerifications.map((v) => v.id).sort()).toEqual([...ids].sort())

      // used verifications cannot serve another store
      const reuse = await post('/api/promotions', chen, await promotionBody(server, chen, { paymentVerificationIds: ids }))
      expect(errorOf(reuse).code).toBe('PAYMENT_NOT_VERIFIED')
    })

    it("refuses another staff member's verifications", async () => {
      const ids = await passedVerifications(server, chen)
      const budi = await server.signIn('staff-budi')
      await server.api('POST', '/api/association/join', { token: budi })
      await server.db.run("UPDATE isos SET deployment_method = 'VERIFY_THEN_DEPLOY' WHERE id = 'iso-nusantara'")
      const res = await post('/api/promotions', budi, await promotionBody(server, budi, { paymentVerificationIds: ids }))
      expect(errorOf(res).code).toBe('PAYMENT_NOT_VERIFIED')
    })

    it('echoes what was stored', async () => {
      const body = await promotionBody(server, chen, { paymentVerificationIds: await passedVerifications(server, chen), spots: 1 })
      body.spots[0] = { ...body.spots[0], positionNote: '  left of the till  ' }
      const created = await createPromotion(server, chen, { ...body, store: { ...body.store, name: '  Kedai Kopi Sentosa  ', extra: 'dropped' } })
      expect(created.store).toEqual(storeInput(body.store.storefrontPhotoId))
      expect(created.merchant).toEqual(MERCHANT)
      expect(created.storeReview).toEqual({ status: 'PENDING', reason: null })
      expect(created.spots).toEqual([
        {
          index: 0,
          position: 'CASHIER_COUNTER',
          positionNote: 'left of the till',
          photoId: body.spots[0].photoId,
          marketingCode: body.spots[0].marketingCode?.slice(-14),
          review: { status: 'PENDING', reason: null },
        },
      ])
      expect(created.createdAt).toBe('2025-03-03T02:00:00.000Z')
      const fetched = await server.api('GET', `/api/promotions/${created.id}`, { token: chen })
      expect(fetched.json()).toEqual(created)
    })
  })

  describe('Deploy-Then-Verify submission', () => {
    it('awaits payment verification, then goes to review once both modes passed', async () => {
      const body = await promotionBody(server, dao, { product: 'PRIMARY_POSM', paymentVerificationIds: ['ignored'] })
      const created = await createPromotion(server, dao, body)
      expect(created).toMatchObject({ method: 'DEPLOY_THEN_VERIFY', status: 'AWAITING_PAYMENT_VERIFICATION', paymentVerifications: [] })
      expect(created.spots[0]).toMatchObject({ position: 'WALL', materialType: 'STICKER' })
      expect(created.spots[0]).not.toHaveProperty('marketingCode')
      const url = `/api/promotions/${created.id}/payment-verifications`

      const notFound = await post(url, dao, await evidence(server, dao, 'MPM', { reference: 'AP999999999999990000' }))
      expect(notFound.statusCode).toBe(200)
      expect(notFound.json()).toMatchObject({
        status: 'AWAITING_PAYMENT_VERIFICATION',
        paymentVerifications: [{ status: 'FAILED', reason: 'PAYMENT_NOT_FOUND' }],
      })
      // the submitted store (ALIPAY + DANA) decides the tool, not the wallets sent with the evidence
      const wrongTool = await post(url, dao, await evidence(server, dao, 'MPM', { tool: 'ALIPAY', wallets: ['ALIPAY'] }))
      expect([wrongTool.statusCode, errorOf(wrongTool).code]).toEqual([422, 'WRONG_PAYMENT_TOOL'])

      const mpm = (await post(url, dao, await evidence(server, dao, 'MPM'))).json() as PromotionView
      expect(mpm.status).toBe('AWAITING_PAYMENT_VERIFICATION')
      const upm = (await post(url, dao, await evidence(server, dao, 'UPM'))).json() as PromotionView
      expect(upm.status).toBe('PENDING_REVIEW')
      expect(upm.paymentVerifications.map((v) => [v.mode, v.status])).toEqual([
        ['MPM', 'FAILED'],
        ['MPM', 'PASSED'],
        ['UPM', 'PASSED'],
      ])
      const late = await post(url, dao, await evidence(server, dao, 'UPM'))
      expect(late.statusCode).toBe(409)
      expect(errorOf(late).code).toBe('INVALID_STATE')
    })

    it('checks the evidence and the owner', async () => {
      const created = await createPromotion(server, dao, await promotionBody(server, dao))
      const url = `/api/promotions/${created.id}/payment-verifications`
      const malformed = await post(url, dao, await evidence(server, dao, 'MPM', { reference: 'nope' }))
      expect(malformed.statusCode).toBe(400)
      const notMine = await post(url, dao, await evidence(server, dao, 'MPM', { photoId: await uploadPhoto(server, chen) }))
      expect(errorOf(notMine).code).toBe('PHOTO_MISSING')
      const foreign = await post(url, chen, await evidence(server, chen, 'MPM'))
      expect(foreign.statusCode).toBe(403)
      const missing = await post('/api/promotions/prm-nope/payment-verifications', dao, await evidence(server, dao, 'MPM'))
      expect(missing.statusCode).toBe(404)
      const vtd = await createPromotion(server, chen, await promotionBody(server, chen, { paymentVerificationIds: await passedVerifications(server, chen) }))
      const notAwaiting = await post(`/api/promotions/${vtd.id}/payment-verifications`, chen, await evidence(server, chen, 'MPM'))
      expect(errorOf(notAwaiting).code).toBe('INVALID_STATE')
    })

    describe('the same evidence again (its answer was lost)', () => {
      /** The stored verifications of a promotion, as [mode, status, reference], oldest first. */
      async function storedVerifications(promotionId: string): Promise<Array<[string, string, string]>> {
        // the test clock stands still: equal times, then MPM before UPM (one of each is expected)
        const rows = await server.db.all<{ mode: string; status: string; reference: string }>(
          'SELECT mode, status, reference FROM payment_verifications WHERE promotion_id = ? ORDER BY created_at, mode, reference',
          [promotionId],
        )
        return rows.map((r) => [r.mode, r.status, r.reference])
      }

      async function countVerifications(): Promise<number> {
        return (await server.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM payment_verifications'))!.n
      }

      /** A Deploy-Then-Verify promotion of staff-dao, verified MPM then UPM (so in review). */
      async function inReview() {
        const created = await createPromotion(server, dao, await promotionBody(server, dao))
        const url = `/api/promotions/${created.id}/payment-verifications`
        const mpmEvidence = await evidence(server, dao, 'MPM')
        const mpm = await post(url, dao, mpmEvidence)
        expect([mpm.statusCode, (mpm.json() as PromotionView).status]).toEqual([200, 'AWAITING_PAYMENT_VERIFICATION'])
        const upmEvidence = await evidence(server, dao, 'UPM')
        const upm = await post(url, dao, upmEvidence)
        expect([upm.statusCode, (upm.json() as PromotionView).status]).toEqual([200, 'PENDING_REVIEW'])
        const expected: Array<[string, string, string]> = [
          ['MPM', 'PASSED', mpmEvidence.reference],
          ['UPM', 'PASSED', upmEvidence.reference],
        ]
        expect(await storedVerifications(created.id)).toEqual(expected)
        return { id: created.id, url, mpmEvidence, upmEvidence, inReview: upm.json() as PromotionView, expected }
      }

      it('answers the promotion as it stands (200, PENDING_REVIEW) and records nothing twice', async () => {
        const { id, url, mpmEvidence, upmEvidence, inReview: answered, expected } = await inReview()
        const before = await countVerifications()
        server.clock.advance({ minutes: 3 })

        const again = await post(url, dao, upmEvidence)
        expect(again.statusCode).toBe(200)
        const view = again.json() as PromotionView
        expect(view.status).toBe('PENDING_REVIEW')
        // exactly the answer that was lost: one verification per mode, nothing touched
        expect(view).toEqual(answered)
        expect(view.paymentVerifications.map((v) => [v.mode, v.status])).toEqual([
          ['MPM', 'PASSED'],
          ['UPM', 'PASSED'],
        ])
        // the earlier MPM evidence too
        const mpmAgain = await post(url, dao, mpmEvidence)
        expect([mpmAgain.statusCode, mpmAgain.json()]).toEqual([200, answered])

        expect(await storedVerifications(id)).toEqual(expected)
        expect(await countVerifications()).toBe(before)
        const fetched = await server.api('GET', `/api/promotions/${id}`, { token: dao })
        expect(fetched.json()).toEqual(answered)
      })

      it('still refuses different evidence once the promotion no longer awaits verification (409 INVALID_STATE)', async () => {
        const { id, url, upmEvidence, expected } = await inReview()
        expect((await post(url, dao, upmEvidence)).statusCode).toBe(200)
        const before = await countVerifications()

        // only the reference differs
        const otherReference = await post(url, dao, { ...upmEvidence, reference: 'AP202503030000009999' })
        expect([otherReference.statusCode, errorOf(otherReference).code]).toEqual([409, 'INVALID_STATE'])
        // fresh evidence of the same reference
        const otherPhoto = await post(url, dao, await evidence(server, dao, 'UPM'))
        expect([otherPhoto.statusCode, errorOf(otherPhoto).code]).toEqual([409, 'INVALID_STATE'])
        // the same reference and photo with another tool
        const otherTool = await post(url, dao, { ...upmEvidence, tool: 'ALIPAY' })
        expect([otherTool.statusCode, errorOf(otherTool).code]).toEqual([409, 'INVALID_STATE'])

        expect(await storedVerifications(id)).toEqual(expected)
        expect(await countVerifications()).toBe(before)
      })

      it("refuses another staff member's repeat of that evidence (403, not 200)", async () => {
        const { id, url, mpmEvidence, upmEvidence, expected } = await inReview()
        const budi = await server.signIn('staff-budi') // the same ISO (Nusantara), once joined
        expect((await server.api('POST', '/api/association/join', { token: budi })).statusCode).toBe(200)
        const before = await countVerifications()

        for (const token of [budi, chen]) {
          for (const body of [upmEvidence, mpmEvidence]) {
            const res = await post(url, token, body)
            expect(res.statusCode).toBe(403)
            expect(errorOf(res).code).toBe('FORBIDDEN')
            expect(res.body).not.toContain('Kedai')
          }
        }

        expect(await storedVerifications(id)).toEqual(expected)
        expect(await countVerifications()).toBe(before)
        expect(((await server.api('GET', `/api/promotions/${id}`, { token: dao })).json() as PromotionView).status).toBe('PENDING_REVIEW')
      })
    })
  })

  describe('idempotency', () => {
    it('answers a repeat of the same clientId with the same promotion (200)', async () => {
      const body = await promotionBody(server, dao)
      const first = await post('/api/promotions', dao, body)
      const second = await post('/api/promotions', dao, body)
      expect(first.statusCode).toBe(201)
      expect(second.statusCode).toBe(200)
      expect(second.json()).toEqual(first.json())
      const list = (await server.api('GET', '/api/promotions', { token: dao })).json() as { promotions: PromotionView[] }
      expect(list.promotions.filter((p) => p.id !== 'prm-seed-warung')).toHaveLength(1)
    })

    it('creates one promotion from concurrent duplicates', async () => {
      const body = await promotionBody(server, dao)
      const answers = await Promise.all(Array.from({ length: 5 }, () => post('/api/promotions', dao, body)))
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 201])
      expect(new Set(answers.map((a) => a.json().id)).size).toBe(1)
      const list = (await server.api('GET', '/api/promotions', { token: dao })).json() as { promotions: PromotionView[] }
      expect(list.promotions.filter((p) => p.id !== 'prm-seed-warung')).toHaveLength(1)
    })

    it("keeps clientIds per staff member: another's same clientId is their own promotion", async () => {
      const body = await promotionBody(server, dao, { spots: 1 })
      await createPromotion(server, dao, body)
      const budi = await server.signIn('staff-budi')
      await server.api('POST', '/api/association/join', { token: budi })
      const theirs = await promotionBody(server, budi, { spots: 1 })
      const res = await post('/api/promotions', budi, { ...theirs, clientId: body.clientId })
      expect(res.statusCode).toBe(201)
    })
  })

  describe('Marketing Codes in a submission', () => {
    it('refuses the same code twice in one submission (422 CODE_DUPLICATE)', async () => {
      const body = await promotionBody(server, dao)
      const code = body.spots[0].marketingCode as string
      body.spots[1] = { ...body.spots[1], marketingCode: code.slice(-14) }
      const res = await post('/api/promotions', dao, body)
      expect(res.statusCode).toBe(422)
      expect(errorOf(res)).toMatchObject({
        code: 'CODE_DUPLICATE',
        fields: { 'spots.0.marketingCode': 'CODE_DUPLICATE', 'spots.1.marketingCode': 'CODE_DUPLICATE' },
      })
    })

    it('refuses a code bound elsewhere (409 CODE_BOUND) and binds nothing', async () => {
      const first = await promotionBody(server, dao, { spots: 1 })
      await createPromotion(server, dao, first)
      const body = await promotionBody(server, dao)
      body.spots[1] = { ...body.spots[1], marketingCode: first.spots[0].marketingCode }
      const res = await post('/api/promotions', dao, body)
      expect(res.statusCode).toBe(409)
      expect(errorOf(res)).toMatchObject({ code: 'CODE_BOUND', fields: { 'spots.1.marketingCode': 'CODE_BOUND' } })
      expect((await post('/api/marketing-codes/check', dao, { code: body.spots[0].marketingCode })).statusCode).toBe(200)
      const seeded = await promotionBody(server, dao, { spots: 1 })
      seeded.spots[0] = { ...seeded.spots[0], marketingCode: 'APMC0000000001' }
      expect(errorOf(await post('/api/promotions', dao, seeded)).code).toBe('CODE_BOUND')
    })

    it('refuses an invalid code with 400 and the field', async () => {
      const body = await promotionBody(server, dao, { spots: 1 })
      body.spots[0] = { ...body.spots[0], marketingCode: 'https://evil.example/APMC0000000009' }
      const res = await post('/api/promotions', dao, body)
      expect(res.statusCode).toBe(400)
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', fields: { 'spots.0.marketingCode': 'CODE_INVALID' } })
    })
  })

  describe('photos in a submission', () => {
    it('refuses the same upload twice in one submission (409 PHOTO_REPEATED)', async () => {
      const body = await promotionBody(server, dao)
      body.spots[1] = { ...body.spots[1], photoId: body.store.storefrontPhotoId }
      const res = await post('/api/promotions', dao, body)
      expect(res.statusCode).toBe(409)
      expect(errorOf(res)).toMatchObject({
        code: 'PHOTO_REPEATED',
        fields: { 'store.storefrontPhotoId': 'PHOTO_REPEATED', 'spots.1.photoId': 'PHOTO_REPEATED' },
      })
    })

    it('refuses a photo used by an earlier submission (409 PHOTO_REPEATED)', async () => {
      const first = await promotionBody(server, dao, { spots: 1 })
      await createPromotion(server, dao, first)
      const body = await promotionBody(server, dao, { spots: 1 })
      body.spots[0] = { ...body.spots[0], photoId: first.spots[0].photoId }
      const res = await post('/api/promotions', dao, body)
      expect(res.statusCode).toBe(409)
      expect(errorOf(res)).toMatchObject({ code: 'PHOTO_REPEATED', fields: { 'spots.0.photoId': 'PHOTO_REPEATED' } })
    })

    it('refuses content that another staff member submitted, even as their own earlier upload', async () => {
      const content = png(424242)
      const budi = await server.signIn('staff-budi')
      await server.api('POST', '/api/association/join', { token: budi })
      const budisCopy = await uploadPhoto(server, budi, content)
      const daosCopy = await uploadPhoto(server, dao, content)
      const first = await promotionBody(server, dao, { spots: 1 })
      await createPromotion(server, dao, { ...first, store: { ...first.store, storefrontPhotoId: daosCopy } })
      const body = await promotionBody(server, budi, { spots: 1 })
      const res = await post('/api/promotions', budi, { ...body, store: { ...body.store, storefrontPhotoId: budisCopy } })
      expect(res.statusCode).toBe(409)
      expect(errorOf(res).code).toBe('PHOTO_REPEATED')
    })

    it("refuses another staff member's or an unknown upload (422 PHOTO_MISSING)", async () => {
      const body = await promotionBody(server, dao, { spots: 2 })
      const chensPhoto = await uploadPhoto(server, chen)
      body.spots[0] = { ...body.spots[0], photoId: chensPhoto }
      body.spots[1] = { ...body.spots[1], photoId: 'upl-nope' }
      const res = await post('/api/promotions', dao, body)
      expect(res.statusCode).toBe(422)
      expect(errorOf(res)).toMatchObject({ code: 'PHOTO_MISSING', fields: { 'spots.0.photoId': 'PHOTO_MISSING', 'spots.1.photoId': 'PHOTO_MISSING' } })
      // nothing was used: the photo is still free for its owner
      expect((await server.api('GET', `/api/uploads/${chensPhoto}`, { token: chen })).statusCode).toBe(200)
    })
  })

  it('refuses more spots than the ISO allows (422 EXCESSIVE_POSMS)', async () => {
    const res = await post('/api/promotions', dao, await promotionBody(server, dao, { spots: 4 }))
    expect(res.statusCode).toBe(422)
    expect(errorOf(res).code).toBe('EXCESSIVE_POSMS')
    expect((await post('/api/promotions', dao, await promotionBody(server, dao, { spots: 3 }))).statusCode).toBe(201)
  })

  describe('business hours (in the ISO time zone)', () => {
    it('refuses a submission outside the store hours (422 OUTSIDE_BUSINESS_HOURS)', async () => {
      // 2025-03-03T02:00Z is 09:00 in Jakarta
      const early = await post('/api/promotions', dao, await promotionBody(server, dao, { store: { openingTime: '09:30', closingTime: '22:00' } }))
      expect(early.statusCode).toBe(422)
      expect(errorOf(early).code).toBe('OUTSIDE_BUSINESS_HOURS')
      const closed = await post('/api/promotions', dao, await promotionBody(server, dao, { store: { openingTime: '06:00', closingTime: '09:00' } }))
      expect(errorOf(closed).code).toBe('OUTSIDE_BUSINESS_HOURS')
      expect((await post('/api/promotions', dao, await promotionBody(server, dao, { store: { openingTime: '09:00', closingTime: '09:30' } }))).statusCode).toBe(
        201,
      )
    })

    it('follows the clock, across midnight', async () => {
      server.clock.set('2025-03-03T17:30:00Z') // 00:30 in Jakarta
      dao = await server.signIn('staff-dao')
      const night = { openingTime: '18:00', closingTime: '02:00' }
      expect((await post('/api/promotions', dao, await promotionBody(server, dao, { store: night }))).statusCode).toBe(201)
      const day = await post('/api/promotions', dao, await promotionBody(server, dao, { store: { openingTime: '08:00', closingTime: '22:00' } }))
      expect(errorOf(day).code).toBe('OUTSIDE_BUSINESS_HOURS')
      // 00:30 in Jakarta is 01:30 in Singapore
      expect(minuteOfDayIn('Asia/Singapore', server.clock.now())).toBe(90)
      expect(minuteOfDayIn('Asia/Singapore', new Date('2025-03-03T16:00:00Z'))).toBe(0)
    })
  })

  describe('validation', () => {
    it('needs the manager consent (400, fields["store.managerConsent"] = NO_MANAGER_CONSENT)', async () => {
      const res = await post('/api/promotions', dao, await promotionBody(server, dao, { store: { managerConsent: false } }))
      expect(res.statusCode).toBe(400)
      expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', fields: { 'store.managerConsent': 'NO_MANAGER_CONSENT' } })
    })

    it('never answers a bad payload with 500', async () => {
      const photo = await uploadPhoto(server, dao)
      const payloads: unknown[] = [
        null,
        [],
        'text',
        42,
        {},
        { clientId: 'short' },
        { clientId: clientId(), product: 'BOTH' },
        { clientId: clientId(), product: 'MARKETING_CODE', store: null, spots: null, merchant: null, paymentVerificationIds: null },
        { clientId: clientId(), product: 'MARKETING_CODE', store: storeInput(photo), spots: [], merchant: MERCHANT, paymentVerificationIds: [] },
        {
          clientId: clientId(),
          product: 'PRIMARY_POSM',
          store: storeInput(photo),
          spots: [{ position: 'WALL', photoId: photo }],
          merchant: MERCHANT,
          paymentVerificationIds: [],
        },
        {
          clientId: clientId(),
          product: 'MARKETING_CODE',
          store: { ...storeInput(photo), openingTime: '25:00', location: { latitude: 'x' } },
          spots: [{}],
          merchant: {},
          paymentVerificationIds: [1],
        },
        {
          clientId: clientId(),
          product: 'MARKETING_CODE',
          store: storeInput(photo),
          spots: Array(60).fill({ position: 'WALL', photoId: photo, marketingCode: 'x' }),
          merchant: MERCHANT,
          paymentVerificationIds: [],
        },
        { __proto__: { polluted: true }, clientId: clientId() },
      ]
      for (const body of payloads) {
        const res = await post('/api/promotions', dao, body)
        expect(res.statusCode).toBe(400)
        expect(errorOf(res).code).toBe('VALIDATION_FAILED')
      }
      for (const payload of ['{', '[]]', '{"clientId": }']) {
        const res = await server.api('POST', '/api/promotions', { token: dao, payload, headers: { 'content-type': 'application/json' } })
        expect(res.statusCode).toBe(400)
      }
      const multipartBody = await server.api('POST', '/api/promotions', {
        token: dao,
        payload: '--x--',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      })
      expect(multipartBody.statusCode).toBe(400)
      for (const url of ['/api/marketing-codes/check', '/api/payment-verifications', '/api/promotions/prm-seed-kopi/payment-verifications']) {
        for (const body of [null, [], 'x', { code: { $ne: 1 } }]) {
          const res = await post(url, dao, body)
          expect(res.statusCode).toBeGreaterThanOrEqual(400)
          expect(res.statusCode).toBeLessThan(500)
        }
      }
    })
  })

  describe('reading promotions', () => {
    it("lists one's own promotions newest first", async () => {
      const a = await createPromotion(server, dao, await promotionBody(server, dao, { spots: 1 }))
      server.clock.advance({ minutes: 5 })
      const b = await createPromotion(server, dao, await promotionBody(server, dao, { spots: 1 }))
      const list = (await server.api('GET', '/api/promotions', { token: dao })).json() as { promotions: PromotionView[] }
      expect(list.promotions.map((p) => p.id)).toEqual([b.id, a.id, 'prm-seed-warung'])
      // staff-chen sees the seeded approved promotions only
      const chens = (await server.api('GET', '/api/promotions', { token: chen })).json() as { promotions: PromotionView[] }
      expect(chens.promotions.map((p) => [p.id, p.status])).toEqual([
        ['prm-seed-kopi', 'APPROVED'],
        ['prm-seed-laksa', 'APPROVED'],
      ])
      expect(chens.promotions[0].spots[0]).toMatchObject({ marketingCode: 'APMC0000000001', review: { status: 'APPROVED' } })
    })

    it("refuses another staff member's promotion (403) and answers 404 for a missing one", async () => {
      const mine = await createPromotion(server, dao, await promotionBody(server, dao, { spots: 1 }))
      const foreign = await server.api('GET', `/api/promotions/${mine.id}`, { token: chen })
      expect(foreign.statusCode).toBe(403)
      expect(errorOf(foreign).code).toBe('FORBIDDEN')
      expect(foreign.body).not.toContain('Kedai')
      const missing = await server.api('GET', '/api/promotions/prm-nope', { token: chen })
      expect(missing.statusCode).toBe(404)
      expect(errorOf(missing).code).toBe('NOT_FOUND')
    })
  })
})
