/**
 * Issue 26 item 5 through the API and the console: a submission's evidence summary is stored when it is
 * submitted (from the photo checks recorded then and the evidence flags), shown atop the promotion page with
 * each reason beside the photo it concerns, and in the review queue; promotions stored before the summary are
 * summarised lazily. Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import type { UploadView } from '../../packages/contract/promotion'
import { qrInScene, samplePhoto } from '../helpers/sample-photos'
import { POSTGRES_TEST_TIMEOUT_MS } from './engine'
import { startTestServer, type TestServer } from './helpers'
import { review } from './results-fixtures'
import { createPromotion, evidence, freshCode, passedVerifications, promotionBody, uploadRaw } from './promotion-fixtures'

jest.setTimeout(Math.max(POSTGRES_TEST_TIMEOUT_MS, 120_000))

// the store as promotionBody enters it: -6.2, 106.8166
const AT_STORE = { takenAt: '2025-03-03T01:58:00.000Z', latitude: '-6.2005', longitude: '106.8166', accuracy: '8', mocked: 'false' }
const SINGAPORE = { ...AT_STORE, latitude: '1.3000', longitude: '103.8000' }

describe('the evidence summary in the console', () => {
  let server: TestServer
  let chen: string
  beforeEach(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
  })
  afterEach(() => server.close())

  const upload = async (content: Buffer, fields: Record<string, string>) => {
    const res = await uploadRaw(server, chen, content, { fields })
    expect(res.statusCode).toBe(201)
    return res.json() as UploadView
  }

  /** Staff-chen's promotion (Verify-Then-Deploy: pending review at once) with these photos. */
  async function submitted(
    photos: { storefront: Buffer; storefrontAt: Record<string, string>; spot0: Buffer; code0: string; spot1: Buffer; code1?: string },
    kept = true,
  ) {
    const body = await promotionBody(server, chen, { spots: 2, paymentVerificationIds: await passedVerifications(server, chen) })
    const storefront = await upload(photos.storefront, photos.storefrontAt)
    const spot0 = await upload(photos.spot0, AT_STORE)
    const spot1 = await upload(photos.spot1, AT_STORE)
    body.store.storefrontPhotoId = storefront.id
    body.spots[0] = { ...body.spots[0], photoId: spot0.id, marketingCode: photos.code0 }
    body.spots[1] = { ...body.spots[1], photoId: spot1.id, ...(photos.code1 ? { marketingCode: photos.code1 } : {}) }
    const p = await createPromotion(server, chen, { ...body, keptPhotoIds: kept ? [storefront.id] : [] })
    return { p, storefront, spot0, spot1 }
  }

  const sectionOf = (page: string, start: string, end: string) => page.slice(page.indexOf(start), page.indexOf(end, page.indexOf(start)))
  const queueRow = async (id: string) => {
    const queue = (await server.consoleGet('/console/promotions')).body
    const section = queue.slice(queue.indexOf('id="review-queue"'), queue.indexOf('id="awaiting-payment"'))
    return sectionOf(section, `<tr data-promotion-id="${id}"`, '</tr>')
  }

  it('is GOOD for clear photos taken at the store showing the scanned code, and says so atop the page', async () => {
    const [code, other] = [freshCode(), freshCode()]
    const { p } = await submitted({
      storefront: await samplePhoto('normal', 11),
      storefrontAt: AT_STORE,
      spot0: await qrInScene(code, { angle: 10, scale: 0.3, variant: 3 }),
      code0: code,
      spot1: await qrInScene(other, { angle: -5, scale: 0.3, variant: 4 }),
      code1: other,
    })
    const stored = await server.db.get<{ evidence_level: string; evidence_rank: number }>('SELECT evidence_level, evidence_rank FROM promotions WHERE id = ?', [
      p.id,
    ])
    expect(stored).toEqual({ evidence_level: 'GOOD', evidence_rank: 2 })
    const page = (await server.consoleGet(`/console/promotions/${p.id}`)).body
    const summary = sectionOf(page, 'class="evidence-summary"', '</section>')
    expect(summary).toContain('data-evidence-level="GOOD"')
    expect(summary).toContain('Evidence: Good')
    expect(summary).toContain('No reason to look closely')
    expect(page).not.toContain('data-evidence-at=')
    expect(await queueRow(p.id)).toContain('data-evidence-level="GOOD"')
  })

  it('names each reason atop the promotion page, links it to its photo, and shows it beside that photo and in the queue', async () => {
    const scanned = freshCode()
    const { p, spot0 } = await submitted({
      storefront: await samplePhoto('dark', 12),
      storefrontAt: SINGAPORE,
      spot0: await qrInScene(freshCode(), { angle: 15, scale: 0.3, variant: 5 }),
      code0: scanned,
      spot1: await samplePhoto('normal', 13),
    })
    const page = (await server.consoleGet(`/console/promotions/${p.id}`)).body

    // atop: the level, and every reason with a link to where it is shown
    const summary = sectionOf(page, 'class="evidence-summary"', '</section>')
    expect(summary).toContain('data-evidence-level="WEAK"')
    expect(summary).toMatch(
      /data-evidence-reason="CODE_DIFFERENT" data-severity="WEAK"><strong>Weak:<\/strong> The photo shows a different Marketing Code than the one scanned \(spot 1 photo\)\. <a href="#evidence-spot-0">See the spot 1 photo<\/a>/,
    )
    expect(summary).toMatch(
      /data-evidence-reason="PHOTO_QUALITY_KEPT" data-severity="LOOK_CLOSELY">.*too dark; the staff member was warned and kept it \(storefront photo\)\. <a href="#evidence-store">/,
    )
    expect(summary).toMatch(/data-evidence-reason="LOCATION_FAR"[^>]*>.*Taken \d{3} km from the store&#39;s entered location \(storefront photo\)/)
    expect(summary).toContain('data-evidence-reason="CODE_NOT_READABLE"')
    expect(summary).toContain('data-evidence-reason="MANY_CONCERNS"')
    expect(summary.indexOf('CODE_DIFFERENT')).toBeLessThan(summary.indexOf('PHOTO_QUALITY_KEPT'))

    // beside the storefront photo: its reasons, next to the flags and the photo check they come from
    const store = sectionOf(page, 'id="store-heading"', 'id="spots-heading"')
    const atStore = sectionOf(store, 'id="evidence-store"', '</div>')
    expect(atStore).toContain('data-evidence-reason="PHOTO_QUALITY_KEPT"')
    expect(atStore).toContain('data-evidence-reason="LOCATION_FAR"')
    expect(atStore).not.toContain('CODE_DIFFERENT')
    expect(store).toContain('data-photo-quality="DARK"')
    expect(store).toContain('data-evidence-flag="LOCATION_FAR" data-meters=')
    // beside each spot photo: only its own
    const spot = (i: number) => sectionOf(page, `data-spot-index="${i}"`, '</article>')
    expect(spot(0)).toContain(`src="/console/uploads/${spot0.id}"`)
    expect(sectionOf(spot(0), 'id="evidence-spot-0"', '</div>')).toMatch(
      /<strong>Weak<\/strong> <span class="badge severity-WEAK" data-evidence-reason="CODE_DIFFERENT" data-evidence-field="spots\.0\.photoId">Photo shows another code/,
    )
    expect(spot(0)).toContain('data-code-check="DIFFERENT"')
    expect(spot(1)).toContain('data-evidence-reason="CODE_NOT_READABLE"')
    expect(spot(1)).not.toContain('CODE_DIFFERENT')

    // the queue: the level and the reasons, weakest first
    const row = await queueRow(p.id)
    expect(row).toContain('data-evidence-level="WEAK"')
    expect(row).toContain('Photo shows another code (spot 1 photo)')
    expect(row).toContain('Taken far from the store (storefront photo)')
    expect((await server.consoleGet('/console/promotions?level=GOOD')).body).not.toContain(`data-promotion-id="${p.id}"`)
    expect((await server.consoleGet('/console/promotions?level=WEAK')).body).toContain(`data-promotion-id="${p.id}"`)

    // approved all the same: the inspections' proposals name its weak evidence
    await review(server, p.id, 'approve', ['approve', 'approve'])
    const decided = (await server.consoleGet('/console/promotions')).body
    expect(sectionOf(decided.slice(decided.indexOf('id="recently-decided"')), `<tr data-promotion-id="${p.id}"`, '</tr>')).toContain(
      'data-evidence-level="WEAK"',
    )
    const inspections = (await server.consoleGet('/console/inspections')).body
    const proposal = sectionOf(inspections, `<tr data-proposal="${p.id}"`, '</tr>')
    expect(proposal).toContain('<li data-reason="WEAK_EVIDENCE">Weak evidence when it was reviewed (see its evidence summary)</li>')
  })

  it('summarises a promotion stored before the summary existed when the queue or its page is opened', async () => {
    const [code, other] = [freshCode(), freshCode()]
    const { p } = await submitted(
      {
        storefront: await samplePhoto('blurred', 14),
        storefrontAt: AT_STORE,
        spot0: await qrInScene(code, { angle: 0, scale: 0.3, variant: 6 }),
        code0: code,
        spot1: await qrInScene(other, { angle: 8, scale: 0.3, variant: 7 }),
        code1: other,
      },
      false,
    )
    const forget = () =>
      server.db.run('UPDATE promotions SET evidence_level = NULL, evidence_rank = 3, evidence_reasons = NULL, store_name_key = NULL WHERE id = ?', [p.id])
    const stored = () =>
      server.db.get<{ evidence_level: string | null; store_name_key: string | null }>('SELECT evidence_level, store_name_key FROM promotions WHERE id = ?', [
        p.id,
      ])
    await forget()
    expect((await server.consoleGet('/console/promotions?q=kedai')).body).toContain(`data-promotion-id="${p.id}"`)
    expect(await stored()).toEqual({ evidence_level: 'LOOK_CLOSELY', store_name_key: expect.stringContaining('kedai') })
    await forget()
    const page = (await server.consoleGet(`/console/promotions/${p.id}`)).body
    expect(page).toMatch(/data-evidence-reason="PHOTO_QUALITY_KEPT"[^>]*>.*blurred; sent without confirming the warning \(storefront photo\)/)
    expect((await stored())?.evidence_level).toBe('LOOK_CLOSELY')
  })

  it('follows the payment evidence: missing, then checked by a reviewer only, then rejected by the reviewer (manual review)', async () => {
    const manual = await startTestServer({ payments: { settings: { mode: 'manual', alipayPlus: null } } })
    try {
      const dao = await manual.signIn('staff-dao')
      // Deploy-Then-Verify: submitted before any payment evidence
      const created = await createPromotion(manual, dao, await promotionBody(manual, dao, { product: 'PRIMARY_POSM', spots: 1 }))
      const reasons = async () =>
        (
          JSON.parse(
            (await manual.db.get<{ evidence_reasons: string }>('SELECT evidence_reasons FROM promotions WHERE id = ?', [created.id]))?.evidence_reasons ?? '[]',
          ) as Array<{ kind: string; mode?: string }>
        )
          .filter((r) => r.kind.startsWith('PAYMENT'))
          .map((r) => `${r.kind} ${r.mode}`)
      expect(await reasons()).toEqual(['PAYMENT_MISSING MPM', 'PAYMENT_MISSING UPM'])
      const url = `/api/promotions/${created.id}/payment-verifications`
      await manual.api('POST', url, { token: dao, body: await evidence(manual, dao, 'MPM') })
      expect(await reasons()).toEqual(['PAYMENT_BY_REVIEWER MPM', 'PAYMENT_MISSING UPM'])
      const view = (await manual.api('POST', url, { token: dao, body: await evidence(manual, dao, 'UPM') })).json() as {
        paymentVerifications: Array<{ id: string }>
      }
      expect(await reasons()).toEqual(['PAYMENT_BY_REVIEWER MPM', 'PAYMENT_BY_REVIEWER UPM'])
      const rejected = await manual.consolePost(`/console/payment-verifications/${view.paymentVerifications[1].id}/reject`, {
        reason: 'Another store’s receipt',
      })
      expect(rejected.statusCode).toBe(303)
      expect(await reasons()).toEqual(['PAYMENT_REJECTED UPM', 'PAYMENT_BY_REVIEWER MPM'])
      const page = (await manual.consoleGet(`/console/promotions/${created.id}`)).body
      expect(sectionOf(page, 'class="evidence-summary"', '</section>')).toContain('A reviewer rejected the latest UPM payment evidence.')
      expect(sectionOf(page, 'id="payment-heading"', '</section>')).toContain('data-evidence-reason="PAYMENT_REJECTED"')
    } finally {
      await manual.close()
    }
  })
})
