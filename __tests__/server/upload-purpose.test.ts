/**
 * Issue 26: the QR pass only where it can matter. The app says what a photo is for (multipart field `purpose`);
 * the server decodes QR codes at upload only for spot photos (and when the app does not say: an older app), and a
 * photo whose pass was skipped is decoded when a submission uses it as a Marketing Code spot, never judged "no
 * readable code" unread. Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import type { UploadView } from '../../packages/contract/promotion'
import { qrInScene, samplePhoto } from '../helpers/sample-photos'
import { POSTGRES_TEST_TIMEOUT_MS } from './engine'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { getTask, inspectionBody, SEEDED, submitInspection, verifyBoth } from './inspection-fixtures'
import { createPromotion, freshCode, PHOTO_FIELDS, promotionBody, uploadRaw } from './promotion-fixtures'
import { appeal, review, submit } from './results-fixtures'

jest.setTimeout(Math.max(POSTGRES_TEST_TIMEOUT_MS, 120_000))

describe('upload purpose', () => {
  let server: TestServer
  let dao: string
  beforeEach(async () => {
    server = await startTestServer()
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  const send = (content: Buffer, purpose?: string) =>
    uploadRaw(server, dao, content, { filename: 'photo.jpg', fields: purpose === undefined ? PHOTO_FIELDS : { ...PHOTO_FIELDS, purpose } })
  const upload = async (content: Buffer, purpose?: string): Promise<UploadView> => {
    const res = await send(content, purpose)
    expect([200, 201]).toContain(res.statusCode)
    return res.json() as UploadView
  }
  const stored = (id: string) =>
    server.db.get<{ qr_codes: string; qr_checked: number; code_check: string | null }>(
      'SELECT qr_codes, qr_checked, code_check FROM photo_checks WHERE upload_id = ?',
      [id],
    )

  it('decodes the QR code of a spot photo, and of a photo whose app does not say (as before)', async () => {
    const code = freshCode()
    for (const [purpose, variant] of [
      ['spot', 1],
      ['inspection-spot', 2],
      [undefined, 3],
    ] as const) {
      const view = await upload(await qrInScene(code, { angle: 15, scale: 0.3, variant }), purpose)
      expect({ purpose, check: view.check }).toMatchObject({ purpose, check: { codes: [code], qrChecked: true } })
    }
  })

  it('skips the QR pass for storefront, payment, inspection storefront and appeal photos; the quality is still checked', async () => {
    const code = freshCode()
    let variant = 10
    for (const purpose of ['storefront', 'payment', 'inspection-storefront', 'appeal']) {
      const view = await upload(await qrInScene(code, { angle: 15, scale: 0.3, variant: variant++ }), purpose)
      expect({ purpose, check: view.check }).toMatchObject({ purpose, check: { issue: null, codes: [], qrChecked: false } })
      expect(view.check?.brightness).toBeGreaterThan(0)
      expect(await stored(view.id)).toMatchObject({ qr_codes: '[]', qr_checked: 0 })
    }
  })

  it('refuses an unknown purpose with a message naming the field and its values, storing nothing', async () => {
    const count = async () => (await server.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM uploads'))?.n
    const before = await count()
    const res = await send(await qrInScene(freshCode(), { angle: 0, scale: 0.3, variant: 20 }), 'selfie')
    expect(res.statusCode).toBe(400)
    expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', fields: { purpose: 'VALIDATION_FAILED' } })
    expect(errorOf(res).message).toContain('storefront, spot, payment, inspection-storefront, inspection-spot, appeal')
    expect(await count()).toEqual(before)
  })

  it('decodes a skipped photo when the submission uses it as a Marketing Code spot: MATCH, not a wrong NONE', async () => {
    const code = freshCode()
    // sent as a storefront photo (e.g. the staff member took it at the wrong step), then used as spot 0
    const photo = await upload(await qrInScene(code, { angle: -12, scale: 0.28, variant: 21 }), 'storefront')
    expect(photo.check).toMatchObject({ codes: [], qrChecked: false })
    const body = await promotionBody(server, dao, { spots: 1 })
    body.spots[0] = { ...body.spots[0], photoId: photo.id, marketingCode: code }
    await createPromotion(server, dao, body)
    expect(await stored(photo.id)).toEqual({ qr_codes: JSON.stringify([code]), qr_checked: 1, code_check: 'MATCH' })
  })
})

describe('inspection and appeal photos: Keep anyway and the code in the photo recorded', () => {
  let server: TestServer
  let chen: string
  beforeEach(async () => {
    server = await startTestServer()
    chen = await server.signIn('staff-chen')
  })
  afterEach(() => server.close())

  const upload = async (content: Buffer, purpose: string): Promise<UploadView> => {
    const res = await uploadRaw(server, chen, content, { filename: 'photo.jpg', fields: { ...PHOTO_FIELDS, purpose } })
    expect([200, 201]).toContain(res.statusCode)
    return res.json() as UploadView
  }
  const outcome = (id: string) =>
    server.db.get<{ kept: number | null; code_check: string | null }>('SELECT kept, code_check FROM photo_checks WHERE upload_id = ?', [id])

  it('an inspection records the dark storefront photo kept anyway and compares the spot photo with the code scanned on the material', async () => {
    const task = await getTask(server, chen, SEEDED.kopi)
    const body = await inspectionBody(server, chen, task, await verifyBoth(server, chen, task))
    const dark = await upload(await samplePhoto('dark', 31), 'inspection-storefront')
    expect(dark.check).toMatchObject({ issue: 'DARK', qrChecked: false })
    const scanned = body.spots[0].scannedCode as string
    const spot = await upload(await qrInScene(scanned, { angle: 10, scale: 0.3, variant: 32 }), 'inspection-spot')
    expect(spot.check?.codes).toEqual([scanned])
    body.store.storefrontPhotoId = dark.id
    body.spots[0] = { ...body.spots[0], photoId: spot.id }
    const res = await submitInspection(server, chen, task.id, { ...body, keptPhotoIds: [dark.id] })
    expect(res.statusCode).toBe(201)
    expect(await outcome(dark.id)).toEqual({ kept: 1, code_check: null })
    expect(await outcome(spot.id)).toEqual({ kept: null, code_check: 'MATCH' })
    // the reviewer sees them beside the inspection's photos
    const page = (await server.consoleGet(`/console/inspections/${task.id}`)).body
    expect(page).toMatch(/data-photo-quality="DARK">Photo check: too dark[^<]*The staff member was warned and kept it anyway\./)
    const spotSection = page.slice(page.indexOf('data-spot-index="0"'), page.indexOf('</article>', page.indexOf('data-spot-index="0"')))
    expect(spotSection).toContain('data-code-check="MATCH">The photo shows the scanned code.')
  })

  it('an appeal records which warned photos were kept anyway', async () => {
    const p = await submit(server, chen, 'staff-chen', { spots: 1 })
    await review(server, p.id, 'reject', ['approve'])
    const kept = await upload(await samplePhoto('dark', 33), 'appeal')
    const notConfirmed = await upload(await samplePhoto('blurred', 34), 'appeal')
    const res = await appeal(server, chen, p.id, { photoIds: [kept.id, notConfirmed.id], keptPhotoIds: [kept.id] })
    expect(res.statusCode).toBe(201)
    expect(await outcome(kept.id)).toEqual({ kept: 1, code_check: null })
    expect(await outcome(notConfirmed.id)).toEqual({ kept: 0, code_check: null })
  })
})
