import sharp from 'sharp'
import type { PromotionView, UploadView } from '../../packages/contract/promotion'
import { photoCodeCheck } from '../../packages/contract/photo-check'
import { loadConfig } from '../../server/src/config'
import { analyzePhoto, decodeQrCodes, DEFAULT_PHOTO_QUALITY } from '../../server/src/photo-checks/analyze'
import { qrInScene, samplePhoto } from '../helpers/sample-photos'
import { describeEngineFree, POSTGRES_TEST_TIMEOUT_MS } from './engine'
import { startTestServer, type TestServer } from './helpers'
import { createPromotion, freshCode, passedVerifications, promotionBody, uploadRaw } from './promotion-fixtures'
import { appeal, resubmissionOf, resubmit, review, submit } from './results-fixtures'

jest.setTimeout(Math.max(POSTGRES_TEST_TIMEOUT_MS, 180_000))

/**
 * Issue 26, items 1 and 3: the photo's quality (too dark, overexposed, blurred) and the QR code in a spot photo,
 * checked by the server at upload on generated photos, answered in the upload, recorded at submission (kept
 * anyway; the code compared with the scanned one) and shown to the reviewer beside the photo.
 */
describeEngineFree('photo checks: the analysis on generated photos', () => {
  it('tells a normal photo from a dark, an overexposed and a blurred one (two different scenes)', async () => {
    for (const variant of [1, 2]) {
      const verdict = async (kind: Parameters<typeof samplePhoto>[0]) => (await analyzePhoto(await samplePhoto(kind, variant), DEFAULT_PHOTO_QUALITY))?.issue
      expect(await verdict('normal')).toBeNull()
      expect(await verdict('dim')).toBeNull()
      expect(await verdict('slightlySoft')).toBeNull()
      expect(await verdict('dark')).toBe('DARK')
      expect(await verdict('overexposed')).toBe('OVEREXPOSED')
      expect(await verdict('blurred')).toBe('BLURRED')
    }
  })

  it('reads a QR code printed on a card in the scene, rotated and scaled; none in a plain storefront', async () => {
    const text = 'https://marketing.alipayplus.example/mc/APMC0000123456'
    for (const [angle, scale] of [
      [0, 0.35],
      [15, 0.3],
      [30, 0.25],
      [45, 0.2],
      [-20, 0.15],
      [0, 0.1],
    ]) {
      expect({ angle, scale, codes: await decodeQrCodes(await qrInScene(text, { angle, scale })) }).toEqual({ angle, scale, codes: [text] })
    }
    expect(await decodeQrCodes(await samplePhoto('normal', 2))).toEqual([])
  })

  it('judges focus only on a photo long enough to tell (a 200 px copy of a blurred photo is not called blurred; dark still is)', async () => {
    const small = async (kind: 'blurred' | 'dark') =>
      sharp(await samplePhoto(kind, 3))
        .resize(200)
        .jpeg()
        .toBuffer()
    expect((await analyzePhoto(await small('blurred'), DEFAULT_PHOTO_QUALITY))?.issue).toBeNull()
    expect((await analyzePhoto(await small('dark'), DEFAULT_PHOTO_QUALITY))?.issue).toBe('DARK')
  })

  it('answers null for content sharp cannot decode (never a refusal)', async () => {
    expect(await analyzePhoto(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]), DEFAULT_PHOTO_QUALITY)).toBeNull()
  })

  it('compares the codes in a photo with the scanned code: MATCH, DIFFERENT, NONE', () => {
    const read = (t: string) => /APMC\d+$/.exec(t.trim())?.[0] ?? null
    expect(photoCodeCheck(['https://x.example/mc/APMC1'], 'APMC1', read)).toBe('MATCH')
    expect(photoCodeCheck(['https://x.example/mc/APMC2'], 'https://x.example/mc/APMC1', read)).toBe('DIFFERENT')
    expect(photoCodeCheck(['hello'], 'APMC1', read)).toBe('DIFFERENT')
    expect(photoCodeCheck([], 'APMC1', read)).toBe('NONE')
  })
})

describeEngineFree('photo checks: settings', () => {
  it('reads the thresholds, with the tuned defaults', () => {
    expect(loadConfig({}).photoQuality).toEqual(DEFAULT_PHOTO_QUALITY)
    expect(loadConfig({ PHOTO_DARK_BELOW: '60', PHOTO_OVEREXPOSED_PERCENT: '40', PHOTO_BLURRED_BELOW: '90' }).photoQuality).toEqual({
      darkBelow: 60,
      overexposedAbove: 0.4,
      blurredBelow: 90,
    })
  })

  it('refuses a malformed threshold with a message that says what it means', () => {
    expect(() => loadConfig({ PHOTO_DARK_BELOW: 'dark' })).toThrow(
      'PHOTO_DARK_BELOW must be a whole number between 0 and 255: the mean brightness (0-255) under which a photo is too dark (got "dark")',
    )
    expect(() => loadConfig({ PHOTO_OVEREXPOSED_PERCENT: '0' })).toThrow(/PHOTO_OVEREXPOSED_PERCENT must be a whole number between 1 and 100/)
  })
})

describe('photo checks: upload, submission and the reviewer', () => {
  let server: TestServer
  let dao: string
  beforeEach(async () => {
    server = await startTestServer()
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const upload = async (content: Buffer): Promise<UploadView> => {
    const res = await uploadRaw(server, dao, content, { filename: 'photo.jpg' })
    expect([200, 201]).toContain(res.statusCode)
    return res.json() as UploadView
  }

  it('answers the check in the upload (a dark photo is stored, not refused) and again on a retry', async () => {
    const dark = await samplePhoto('dark', 4)
    const first = await upload(dark)
    expect(first.check).toMatchObject({ issue: 'DARK', codes: [] })
    expect(first.check?.brightness).toBeLessThan(DEFAULT_PHOTO_QUALITY.darkBelow)
    const again = await upload(dark)
    expect(again.id).toBe(first.id)
    expect(again.check).toEqual(first.check)
    expect((await upload(await samplePhoto('normal', 4))).check).toMatchObject({ issue: null })
    expect((await upload(await samplePhoto('blurred', 4))).check).toMatchObject({ issue: 'BLURRED' })
  })

  it('records Keep anyway and each spot photo’s code at submission; the console shows them beside the photos', async () => {
    const body = await promotionBody(server, dao, { spots: 3 })
    const storefront = await upload(await samplePhoto('dark', 5))
    const matching = freshCode()
    const spot0 = await upload(await qrInScene(matching, { angle: 20, scale: 0.25, variant: 5 }))
    const spot1 = await upload(await qrInScene(freshCode(), { angle: -10, scale: 0.3, variant: 6 }))
    const spot2 = await upload(await samplePhoto('normal', 7))
    expect(spot0.check?.codes).toEqual([matching])
    body.store.storefrontPhotoId = storefront.id
    body.spots[0] = { ...body.spots[0], photoId: spot0.id, marketingCode: matching }
    body.spots[1] = { ...body.spots[1], photoId: spot1.id }
    body.spots[2] = { ...body.spots[2], photoId: spot2.id }
    const p = await createPromotion(server, dao, { ...body, keptPhotoIds: [storefront.id] })

    const rows = await server.db.all<{ upload_id: string; kept: number | null; code_check: string | null }>(
      'SELECT upload_id, kept, code_check FROM photo_checks WHERE upload_id IN (?, ?, ?, ?) ORDER BY upload_id',
      [storefront.id, spot0.id, spot1.id, spot2.id],
    )
    const byId = new Map(rows.map((r) => [r.upload_id, r]))
    expect(byId.get(storefront.id)).toMatchObject({ kept: 1, code_check: null })
    expect(byId.get(spot0.id)).toMatchObject({ kept: null, code_check: 'MATCH' })
    expect(byId.get(spot1.id)).toMatchObject({ code_check: 'DIFFERENT' })
    expect(byId.get(spot2.id)).toMatchObject({ code_check: 'NONE' })

    const page = (await server.consoleGet(`/console/promotions/${p.id}`)).body
    const store = page.slice(page.indexOf('id="store-heading"'), page.indexOf('id="spots-heading"'))
    expect(store).toMatch(/data-photo-quality="DARK">Photo check: too dark \(brightness \d+\/255[^)]*\)\.\s*The staff member was warned and kept it anyway\./)
    const spot = (i: number) => page.slice(page.indexOf(`data-spot-index="${i}"`), page.indexOf('</article>', page.indexOf(`data-spot-index="${i}"`)))
    expect(spot(0)).toContain('data-code-check="MATCH">The photo shows the scanned code.')
    expect(spot(1)).toContain('data-code-check="DIFFERENT">The photo shows a different code than the one scanned.')
    expect(spot(2)).toContain('data-code-check="NONE">No readable code in the photo.')
    expect(spot(2)).toContain('data-photo-quality="OK"')
  })

  it('a poor photo sent without Keep anyway is recorded as such; a Modify records its new photos', async () => {
    // staff-chen: Verify-Then-Deploy, so that the promotion goes to review at once
    const chen = await server.signIn('staff-chen')
    const body = await promotionBody(server, chen, { spots: 1, product: 'PRIMARY_POSM', paymentVerificationIds: await passedVerifications(server, chen) })
    const blurred = (await uploadRaw(server, chen, await samplePhoto('blurred', 8))).json() as UploadView
    body.spots[0] = { ...body.spots[0], photoId: blurred.id }
    const p: PromotionView = await createPromotion(server, chen, body)
    const kept = async (id: string) => (await server.db.get<{ kept: number | null }>('SELECT kept FROM photo_checks WHERE upload_id = ?', [id]))?.kept
    expect(await kept(blurred.id)).toBe(0)
    expect((await server.consoleGet(`/console/promotions/${p.id}`)).body).toContain('Sent without the staff member confirming the warning.')

    await review(server, p.id, 'approve', ['reject'])
    const overexposed = (await uploadRaw(server, chen, await samplePhoto('overexposed', 9))).json() as UploadView
    expect(overexposed.check?.issue).toBe('OVEREXPOSED')
    const changed = resubmissionOf(p)
    changed.spots[0] = { ...changed.spots[0], photoId: overexposed.id }
    const res = await resubmit(server, chen, p.id, { ...changed, keptPhotoIds: [overexposed.id] })
    expect(res.statusCode).toBe(200)
    expect(await kept(overexposed.id)).toBe(1)
  })

  it('shows each appeal photo’s check beside it on the console: kept anyway, or sent without confirming the warning', async () => {
    const chen = await server.signIn('staff-chen')
    const p = await submit(server, chen, 'staff-chen', { spots: 1 })
    await review(server, p.id, 'reject', ['approve'])
    const chenUpload = async (content: Buffer) => (await uploadRaw(server, chen, content)).json() as UploadView
    const dark = await chenUpload(await samplePhoto('dark', 10))
    const blurred = await chenUpload(await samplePhoto('blurred', 8))
    const normal = await chenUpload(await samplePhoto('normal', 11))
    expect([dark.check?.issue, blurred.check?.issue, normal.check?.issue]).toEqual(['DARK', 'BLURRED', null])
    // the staff member kept the dark photo after its warning (Keep anyway), not the blurred one
    const res = await appeal(server, chen, p.id, { photoIds: [dark.id, blurred.id, normal.id], keptPhotoIds: [dark.id] })
    expect([200, 201]).toContain(res.statusCode)

    const page = (await server.consoleGet(`/console/promotions/${p.id}`)).body
    const photo = (n: number) => {
      const start = page.indexOf(`alt="Appeal photo ${n}"`)
      expect(start).toBeGreaterThan(0)
      const next = page.indexOf(`alt="Appeal photo ${n + 1}"`)
      return page.slice(start, next > 0 ? next : page.indexOf('</article>', start))
    }
    expect(photo(1)).toMatch(
      /data-photo-quality="DARK">Photo check: too dark \(brightness \d+\/255[^)]*\)\.\s*The staff member was warned and kept it anyway\./,
    )
    expect(photo(2)).toMatch(/data-photo-quality="BLURRED">Photo check: blurred \([^)]*\)\.\s*Sent without the staff member confirming the warning\./)
    expect(photo(3)).toContain('data-photo-quality="OK">Photo check: exposure and focus fine')
    expect(photo(3)).not.toContain('kept it anyway')
  })
})
