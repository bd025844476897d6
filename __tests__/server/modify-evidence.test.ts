/**
 * Issue 26: a Modify (resubmission) is checked like a first submission. A changed photo that looks like a photo of
 * another store's promotion is refused (409 PHOTO_REUSED at that photo, the promotion and the staff member's draft
 * untouched), the location-trust and same-store flags are computed again for the photos and store location as
 * modified, and the flags of replaced photos are deleted (the console no longer shows them).
 * Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import type { PromotionView, UploadView } from '../../packages/contract/promotion'
import type { PromotionDetail } from '../../packages/contract/results'
import { storefrontPhoto, variantOf } from '../helpers/storefronts'
import './engine'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { createPromotion, passedVerifications, png, promotionBody, uploadRaw } from './promotion-fixtures'
import { detail, resubmissionOf, resubmit, review } from './results-fixtures'

// generating and decoding 640×480 photos takes a moment on a shared machine
jest.setTimeout(60_000)

// the store as promotionBody enters it: -6.2, 106.8166
const AT_STORE = { takenAt: '2025-03-03T01:58:00.000Z', latitude: '-6.2005', longitude: '106.8166', accuracy: '8', mocked: 'false' }
const FAR = { ...AT_STORE, latitude: '1.3000', longitude: '103.8000' }
const NO_LOCATION = { takenAt: AT_STORE.takenAt }
const ANOTHER_STORE = { name: 'Toko Baru Jaya', location: { latitude: -6.25, longitude: 106.85, accuracy: 10, mocked: false } }

describe('Modify checked like a first submission', () => {
  let server: TestServer
  let dao: string
  let chen: string
  beforeEach(async () => {
    server = await startTestServer()
    dao = await server.signIn('staff-dao')
    chen = await server.signIn('staff-chen')
  })
  afterEach(() => server.close())

  let seed = 7000
  async function upload(token: string, photo: Buffer, fields: Record<string, string> = AT_STORE): Promise<string> {
    const res = await uploadRaw(server, token, photo, { filename: 'photo.jpg', fields })
    expect([200, 201]).toContain(res.statusCode)
    return (res.json() as UploadView).id
  }

  /** Staff-chen's (Verify-Then-Deploy) promotion with this storefront photo, its store rejected by the reviewer. */
  async function rejected(storefront: string, store: Record<string, unknown> = {}): Promise<PromotionView> {
    const body = await promotionBody(server, chen, { store, paymentVerificationIds: await passedVerifications(server, chen) })
    body.store.storefrontPhotoId = storefront
    const p = await createPromotion(server, chen, body)
    await review(
      server,
      p.id,
      'reject',
      p.spots.map((): 'approve' => 'approve'),
    )
    return p
  }

  const flagsOf = (id: string) =>
    server.db.all<{ kind: string; field: string; upload_id: string }>(
      'SELECT kind, field, upload_id FROM evidence_flags WHERE promotion_id = ? ORDER BY kind, field',
      [id],
    )
  const storeSection = async (id: string) => {
    const page = (await server.consoleGet(`/console/promotions/${id}`)).body
    return page.slice(page.indexOf('id="store-heading"'), page.indexOf('id="spots-heading"'))
  }

  it('refuses a new storefront photo that is a copy of another store’s photo with PHOTO_REUSED, the promotion unchanged and the draft usable', async () => {
    const photo = await storefrontPhoto(2)
    // staff-dao's promotion of another store with the original
    const other = await promotionBody(server, dao, { store: ANOTHER_STORE })
    other.store.storefrontPhotoId = await upload(dao, photo)
    await createPromotion(server, dao, other)

    const p = await rejected(await upload(chen, png(seed++)))
    const copy = await upload(chen, await variantOf(photo, 'resized'))
    const body = resubmissionOf(p, { store: { ...p.store, storefrontPhotoId: copy } })
    const res = await resubmit(server, chen, p.id, body)
    expect(res.statusCode).toBe(409)
    expect(errorOf(res)).toMatchObject({ code: 'PHOTO_REUSED', fields: { 'store.storefrontPhotoId': 'PHOTO_REUSED' } })
    // nothing changed: still rejected, the old photo, Modify still possible
    const d = await detail(server, chen, p.id)
    expect(d).toMatchObject({ status: 'REJECTED', actions: { modify: true } })
    expect(d.store.storefrontPhotoId).toBe(p.store.storefrontPhotoId)
    // the draft is kept: the same body with a photo of its own goes through
    const fixed = await resubmit(server, chen, p.id, { ...body, store: { ...body.store, storefrontPhotoId: await upload(chen, await storefrontPhoto(11)) } })
    expect(fixed.statusCode).toBe(200)
    expect((fixed.json() as PromotionDetail).status).toBe('PENDING_REVIEW')
  })

  it('refuses a new spot photo like another store’s photo at that spot', async () => {
    const photo = await storefrontPhoto(6)
    const other = await promotionBody(server, dao, { store: ANOTHER_STORE })
    other.store.storefrontPhotoId = await upload(dao, photo)
    await createPromotion(server, dao, other)

    const p = await rejected(await upload(chen, png(seed++)))
    const body = resubmissionOf(p)
    body.spots[1] = { ...body.spots[1], photoId: await upload(chen, await variantOf(photo, 'recompressed')) }
    const res = await resubmit(server, chen, p.id, body)
    expect(res.statusCode).toBe(409)
    expect(errorOf(res)).toMatchObject({ code: 'PHOTO_REUSED', fields: { 'spots.1.photoId': 'PHOTO_REUSED' } })
  })

  it('does not count the promotion’s own earlier photos: a retake of the same storefront passes without a flag', async () => {
    const photo = await storefrontPhoto(8)
    const p = await rejected(await upload(chen, photo))
    const retake = await upload(chen, await variantOf(photo, 'brighter'))
    const res = await resubmit(server, chen, p.id, resubmissionOf(p, { store: { ...p.store, storefrontPhotoId: retake } }))
    expect(res.statusCode).toBe(200)
    expect((await flagsOf(p.id)).filter((f) => f.kind.startsWith('PHOTO'))).toEqual([])
  })

  it('flags a new storefront photo taken far from the store (LOCATION_FAR), and the replaced photo’s flag is gone from the console', async () => {
    const first = await upload(chen, png(seed++), NO_LOCATION)
    const p = await rejected(first)
    expect(await flagsOf(p.id)).toEqual([{ kind: 'LOCATION_UNKNOWN', field: 'store.storefrontPhotoId', upload_id: first }])
    expect(await storeSection(p.id)).toContain('The photo has no location')

    const far = await upload(chen, png(seed++), FAR)
    const res = await resubmit(server, chen, p.id, resubmissionOf(p, { store: { ...p.store, storefrontPhotoId: far } }))
    expect(res.statusCode).toBe(200)
    expect(await flagsOf(p.id)).toEqual([{ kind: 'LOCATION_FAR', field: 'store.storefrontPhotoId', upload_id: far }])
    const section = await storeSection(p.id)
    expect(section).toMatch(/data-evidence-flag="LOCATION_FAR" data-meters="\d{6,7}">Taken \d{3} km from the store's entered location/)
    expect(section).not.toContain('The photo has no location')
    expect(section).not.toContain('data-evidence-flag="LOCATION_UNKNOWN"')
  })

  it('drops the same-store flag of a replaced photo', async () => {
    const photo = await storefrontPhoto(9)
    // staff-dao's earlier promotion of the same store with this photo
    const earlier = await promotionBody(server, dao)
    earlier.store.storefrontPhotoId = await upload(dao, photo)
    await createPromotion(server, dao, earlier)

    const copy = await upload(chen, await variantOf(photo, 'resized'))
    const p = await rejected(copy)
    expect((await flagsOf(p.id)).map((f) => f.kind)).toEqual(['PHOTO_LOOKS_LIKE_SAME_STORE'])
    expect(await storeSection(p.id)).toContain('data-evidence-flag="PHOTO_LOOKS_LIKE_SAME_STORE"')

    const res = await resubmit(
      server,
      chen,
      p.id,
      resubmissionOf(p, { store: { ...p.store, storefrontPhotoId: await upload(chen, await storefrontPhoto(12)) } }),
    )
    expect(res.statusCode).toBe(200)
    expect(await flagsOf(p.id)).toEqual([])
    expect(await storeSection(p.id)).not.toContain('data-evidence-flag')
  })
})
