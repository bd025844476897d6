import type { PromotionView } from '../../packages/contract/promotion'
import { startTestServer, type TestServer } from './helpers'
import { createPromotion, evidence, passedVerifications, png, promotionBody, uploadPhoto } from './promotion-fixtures'

describe('console: Alipay+ review queue', () => {
  let server: TestServer
  let chen: string
  let dao: string
  beforeEach(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  /** A Verify-Then-Deploy promotion of staff-chen, pending review. */
  async function pending(spots = 2, store: Record<string, unknown> = {}): Promise<PromotionView> {
    return createPromotion(server, chen, await promotionBody(server, chen, { spots, store, paymentVerificationIds: await passedVerifications(server, chen) }))
  }

  const view = async (id: string) => (await server.api('GET', `/api/promotions/${id}`, { token: chen })).json() as PromotionView

  it('is linked from the top of the console', async () => {
    const page = (await server.consoleGet()).body
    expect(page).toContain('<a href="/console/promotions">Alipay+ review queue</a>')
    const queue = await server.consoleGet('/console/promotions')
    expect(queue.body).toContain('<a href="/console/promotions" aria-current="page">Alipay+ review queue</a>')
  })

  it('lists pending promotions, those awaiting payment verification and decided ones', async () => {
    const p = await pending()
    const awaiting = await createPromotion(server, dao, await promotionBody(server, dao, { store: { name: 'Warung Dao' } }))
    const res = await server.consoleGet('/console/promotions')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-security-policy']).toContain("img-src 'self'")
    const page = res.body
    expect(page).toMatch(/<h2 id="review-queue">Alipay\+ review queue<\/h2>/)
    const queue = page.slice(page.indexOf('id="review-queue"'), page.indexOf('id="awaiting-payment"'))
    expect(queue).toMatch(
      new RegExp(
        `<tr data-promotion-id="${p.id}" data-status="PENDING_REVIEW">[\\s\\S]*?<a href="/console/promotions/${p.id}">Kedai Kopi Sentosa</a>[\\s\\S]*?12 Jalan Demo[\\s\\S]*?Chen Wei[\\s\\S]*?Lion City Payments[\\s\\S]*?Alipay\\+ Marketing Code[\\s\\S]*?<time`,
      ),
    )
    expect(queue).not.toContain(awaiting.id)
    const awaitingList = page.slice(page.indexOf('id="awaiting-payment"'), page.indexOf('id="recently-decided"'))
    expect(awaitingList).toMatch(
      new RegExp(`<tr data-promotion-id="${awaiting.id}" data-status="AWAITING_PAYMENT_VERIFICATION">[\\s\\S]*?Warung Dao[\\s\\S]*?Dao Minh Anh`),
    )
    const decided = page.slice(page.indexOf('id="recently-decided"'))
    expect(decided).toContain('data-promotion-id="prm-seed-kopi" data-status="APPROVED"')

    // an awaiting promotion's page is read-only
    const detail = (await server.consoleGet(`/console/promotions/${awaiting.id}`)).body
    expect(detail).toContain('Read only: the staff member has not completed payment verification yet.')
    expect(detail).not.toContain('Approve store')
    expect((await server.consolePost(`/console/promotions/${awaiting.id}/store/approve`, {})).statusCode).toBe(409)
  })

  it('shows a promotion with its photos, spots, merchant and payment verification records', async () => {
    const p = await pending(2)
    const res = await server.consoleGet(`/console/promotions/${p.id}`)
    expect(res.statusCode).toBe(200)
    const page = res.body
    expect(page).toContain('<h2 id="promotion-title">Kedai Kopi Sentosa</h2>')
    expect(page).toContain(`<img class="photo" src="/console/uploads/${p.store.storefrontPhotoId}" alt="Storefront of Kedai Kopi Sentosa">`)
    expect(page).toContain('Alipay, DANA')
    expect(page).toContain('08:00–22:00')
    expect(page).toMatch(/<button type="submit">Approve store<\/button>/)
    expect(page).toMatch(/<label for="store-reason">Reason<\/label>\s*<textarea id="store-reason" name="reason"/)
    expect(page).toMatch(/>Reject store<\/button>/)
    for (const spot of p.spots) {
      const start = page.indexOf(`data-spot-index="${spot.index}"`)
      const article = page.slice(start, page.indexOf('</article>', start))
      expect(article).toContain(`Spot ${spot.index + 1}: Cashier counter`)
      expect(article).toContain(`<code>${spot.marketingCode}</code>`)
      expect(article).toContain(`src="/console/uploads/${spot.photoId}"`)
      expect(article).toMatch(/<button type="submit">Approve spot<\/button>/)
      expect(article).toMatch(new RegExp(`<label for="spot-reason-${spot.index}">Reason</label>\\s*<textarea id="spot-reason-${spot.index}" name="reason"`))
      expect(article).toMatch(/>Reject spot<\/button>/)
    }
    for (const v of p.paymentVerifications) {
      expect(page).toMatch(
        new RegExp(
          `<tr data-verification-id="${v.id}">[\\s\\S]*?${v.mode}[\\s\\S]*?Alipay\\+ Linker[\\s\\S]*?<code>${v.reference}</code>[\\s\\S]*?Passed[\\s\\S]*?src="/console/uploads/${v.photoId}"`,
        ),
      )
    }
    expect(page).toContain('PT Kopi Sentosa')
    expect(page).toContain('Siti Aminah, +62 812 3456 7891')
    expect((await server.consoleGet('/console/promotions/prm-nope')).statusCode).toBe(404)
  })

  it('serves photos with the console credentials only', async () => {
    const content = png(987654)
    const photoId = await uploadPhoto(server, dao, content)
    const res = await server.consoleGet(`/console/uploads/${photoId}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(res.rawPayload.equals(content)).toBe(true)
    expect((await server.consoleGet(`/console/uploads/${photoId}`, null)).statusCode).toBe(303)
    expect((await server.consoleGet(`/console/uploads/${photoId}`, 'nusantara')).statusCode).toBe(403)
    expect((await server.consoleGet('/console/uploads/upl-nope')).statusCode).toBe(404)
    // the seeded promotion's photos have no files
    expect((await server.consoleGet('/console/uploads/upl-seed-storefront')).statusCode).toBe(404)
  })

  it('approves the store and every spot: APPROVED', async () => {
    const p = await pending(2)
    const store = await server.consolePost(`/console/promotions/${p.id}/store/approve`, {})
    expect(store.statusCode).toBe(303)
    expect(store.headers.location).toBe(`/console/promotions/${p.id}?done=store-approved`)
    expect((await server.consoleGet(store.headers.location as string)).body).toContain('Approved the store.')
    expect((await view(p.id)).storeReview).toEqual({ status: 'APPROVED', reason: null })
    expect((await view(p.id)).status).toBe('PENDING_REVIEW')

    await server.consolePost(`/console/promotions/${p.id}/spots/0/approve`, {})
    const last = await server.consolePost(`/console/promotions/${p.id}/spots/1/approve`, {})
    const after = (await server.consoleGet(last.headers.location as string)).body
    expect(after).toContain('Approved spot 2. Every item is decided: the promotion is Approved.')
    expect(after).not.toContain('Approve spot')
    const done = await view(p.id)
    expect(done.status).toBe('APPROVED')
    expect(done.spots.map((s) => s.review.status)).toEqual(['APPROVED', 'APPROVED'])
    const queue = (await server.consoleGet('/console/promotions')).body
    expect(queue.slice(queue.indexOf('id="review-queue"'), queue.indexOf('id="awaiting-payment"'))).not.toContain(p.id)
    expect(queue.slice(queue.indexOf('id="recently-decided"'))).toContain(`data-promotion-id="${p.id}" data-status="APPROVED"`)
  })

  it('needs a reason to reject, and a rejected item makes the promotion REJECTED', async () => {
    const p = await pending(2)
    for (const reason of ['', '   ']) {
      const res = await server.consolePost(`/console/promotions/${p.id}/spots/1/reject`, { reason })
      expect(res.statusCode).toBe(400)
      expect(res.body).toMatch(/<p class="error" role="alert">Not rejected: <a href="#spot-reason-1">Enter a reason/)
      expect(res.body).toMatch(
        /<textarea id="spot-reason-1" name="reason" rows="2" maxlength="500" aria-required="true" aria-invalid="true" aria-describedby="spot-reason-1-error">/,
      )
    }
    const noStoreReason = await server.consolePost(`/console/promotions/${p.id}/store/reject`, {})
    expect(noStoreReason.statusCode).toBe(400)
    expect(noStoreReason.body).toContain('href="#store-reason"')
    const tooLong = await server.consolePost(`/console/promotions/${p.id}/store/reject`, { reason: `<b>${'x'.repeat(600)}` })
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.body).toContain('&lt;b&gt;xxx')
    expect((await view(p.id)).storeReview.status).toBe('PENDING')

    const rejected = await server.consolePost(`/console/promotions/${p.id}/spots/1/reject`, { reason: 'The sticker is not on the counter' })
    expect(rejected.statusCode).toBe(303)
    expect((await server.consoleGet(rejected.headers.location as string)).body).toContain('Rejected spot 2.')
    await server.consolePost(`/console/promotions/${p.id}/store/approve`, {})
    await server.consolePost(`/console/promotions/${p.id}/spots/0/approve`, {})
    const done = await view(p.id)
    expect(done.status).toBe('REJECTED')
    expect(done.spots[1].review).toEqual({ status: 'REJECTED', reason: 'The sticker is not on the counter' })
    expect(done.storeReview.status).toBe('APPROVED')
  })

  it('rejects the store with its reason', async () => {
    const p = await pending(1)
    await server.consolePost(`/console/promotions/${p.id}/store/reject`, { reason: 'Storefront photo is blurry' })
    await server.consolePost(`/console/promotions/${p.id}/spots/0/approve`, {})
    expect(await view(p.id)).toMatchObject({ status: 'REJECTED', storeReview: { status: 'REJECTED', reason: 'Storefront photo is blurry' } })
  })

  it('refuses deciding twice (409), unknown promotions and spots (404), and cross-site forms (403)', async () => {
    const p = await pending(1)
    await server.consolePost(`/console/promotions/${p.id}/store/approve`, {})
    const twice = await server.consolePost(`/console/promotions/${p.id}/store/reject`, { reason: 'changed my mind' })
    expect(twice.statusCode).toBe(409)
    expect((await server.consolePost('/console/promotions/prm-nope/store/approve', {})).statusCode).toBe(404)
    expect((await server.consolePost('/console/promotions/prm-nope/spots/0/reject', { reason: 'x' })).statusCode).toBe(404)
    for (const index of ['5', '-1', 'abc', '99999'])
      expect((await server.consolePost(`/console/promotions/${p.id}/spots/${index}/approve`, {})).statusCode).toBe(404)
    const crossSite = await server.consolePost(`/console/promotions/${p.id}/spots/0/approve`, {}, { origin: 'http://evil.example' })
    expect(crossSite.statusCode).toBe(403)
    expect((await view(p.id)).spots[0].review.status).toBe('PENDING')
    const anonymous = await server.app.inject({ method: 'POST', url: `/console/promotions/${p.id}/spots/0/approve` })
    expect(anonymous.statusCode).toBe(401)
    await server.consolePost(`/console/promotions/${p.id}/spots/0/approve`, {})
    expect((await server.consolePost(`/console/promotions/${p.id}/spots/0/approve`, {})).statusCode).toBe(409)
  })

  it('shows a Deploy-Then-Verify promotion in the queue once both modes passed', async () => {
    const p = await createPromotion(server, dao, await promotionBody(server, dao, { spots: 1 }))
    for (const mode of ['MPM', 'UPM'] as const)
      await server.api('POST', `/api/promotions/${p.id}/payment-verifications`, { token: dao, body: await evidence(server, dao, mode) })
    const queue = (await server.consoleGet('/console/promotions')).body
    expect(queue.slice(queue.indexOf('id="review-queue"'), queue.indexOf('id="awaiting-payment"'))).toContain(
      `data-promotion-id="${p.id}" data-status="PENDING_REVIEW"`,
    )
  })

  it('escapes what staff members typed', async () => {
    const p = await pending(1, { name: '<script>alert(1)</script>', address: '"><img src=x onerror=alert(2)>' })
    for (const url of ['/console/promotions', `/console/promotions/${p.id}`]) {
      const page = (await server.consoleGet(url)).body
      expect(page).not.toContain('<script>alert')
      expect(page).not.toContain('<img src=x')
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })
})
