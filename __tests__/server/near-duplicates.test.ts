/**
 * Issue 26 item 2: near-duplicate photos. Every uploaded photo gets a perceptual fingerprint (dHash and colour
 * layout); at submit a storefront or spot photo that looks like a photo of another store's promotion is refused
 * (409 PHOTO_REUSED at that photo, nothing stored, the other photos still usable), one that looks like a photo of
 * the same store's earlier promotion is recorded as a flag for the reviewer. Photos are generated storefronts
 * (__tests__/helpers/storefronts.ts) and their copies: resized, re-compressed, cropped, brightness-shifted.
 * Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import type { UploadView } from '../../packages/contract/promotion'
import { DEFAULT_EVIDENCE_SETTINGS } from '../../server/src/evidence/config'
import { bandNeighbours, hammingDistance, looksLikeOnePhoto, photoFingerprint, probeRadius, type PhotoFingerprint } from '../../server/src/evidence/dhash'
import { backfillFingerprints } from '../../server/src/evidence/backfill'
import { createFolderStore } from '../../server/src/storage/folder'
import { storefrontPhoto, variantOf, VARIANTS } from '../helpers/storefronts'
import { describeEngineFree } from './engine'
import { errorOf, startTestServer, type TestServer } from './helpers'
import { createPromotion, passedVerifications, png, promotionBody, uploadRaw } from './promotion-fixtures'

// generating and decoding 640×480 photos takes a moment on a shared machine
jest.setTimeout(60_000)

const fingerprint = async (photo: Buffer) => (await photoFingerprint(photo)) as PhotoFingerprint

describeEngineFree('photo fingerprints', () => {
  it('keep a copy within the limits (resized, re-compressed, 2 % cropped, brighter, darker)', async () => {
    const photo = await storefrontPhoto(1)
    const original = await fingerprint(photo)
    for (const variant of VARIANTS) {
      const copy = await fingerprint(await variantOf(photo, variant))
      expect({ variant, near: looksLikeOnePhoto(original, copy, DEFAULT_EVIDENCE_SETTINGS) !== null }).toEqual({ variant, near: true })
    }
  })

  it('keep different storefronts apart, the closest-looking pair too', async () => {
    const prints: PhotoFingerprint[] = []
    for (let seed = 1; seed <= 16; seed++) prints.push(await fingerprint(await storefrontPhoto(seed)))
    for (let i = 0; i < prints.length; i++) {
      for (let j = i + 1; j < prints.length; j++)
        expect({ i, j, near: looksLikeOnePhoto(prints[i], prints[j], DEFAULT_EVIDENCE_SETTINGS) }).toEqual({ i, j, near: null })
    }
    // seeds 3 and 7 are the two whose hashes are closest (7 bits): alike, yet apart
    expect(hammingDistance(prints[2].hash, prints[6].hash)).toBeLessThanOrEqual(8)
  })

  it('is none for a photo with nothing to compare (tiny, flat, not decodable)', async () => {
    expect(await photoFingerprint(png(3))).toBeNull()
    expect(await photoFingerprint(Buffer.from('RIFF\u0004\u0000\u0000\u0000WEBPVP8 ', 'latin1'))).toBeNull()
    const flat = await (
      await import('sharp')
    )
      .default({ create: { width: 200, height: 150, channels: 3, background: { r: 20, g: 20, b: 20 } } })
      .jpeg()
      .toBuffer()
    expect(await photoFingerprint(flat)).toBeNull()
  })

  it('finds every hash within the limit by probing each band within floor(limit / 4) bits (no near-duplicate missed)', () => {
    // pigeonhole: 6 differing bits spread over 4 bands leave one band within 1 bit
    expect(probeRadius(6)).toBe(1)
    expect(bandNeighbours(0b1010, 1)).toHaveLength(17)
    expect(new Set(bandNeighbours(0xffff, 2)).size).toBe(137)
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed)
    for (let trial = 0; trial < 500; trial++) {
      const hash = [random() & 0xffff, random() & 0xffff, random() & 0xffff, random() & 0xffff]
      const other = [...hash]
      for (let flips = 0; flips < 6; flips++) {
        const bit = random() % 64
        other[bit >> 4] ^= 1 << (bit & 15)
      }
      const shared = hash.some((band, i) => bandNeighbours(band, probeRadius(6)).includes(other[i]))
      expect(shared).toBe(true)
    }
  })
})

describe('near-duplicate photos at submit', () => {
  let server: TestServer
  let dao: string
  let chen: string
  beforeEach(async () => {
    server = await startTestServer()
    dao = await server.signIn('staff-dao')
    chen = await server.signIn('staff-chen')
  })
  afterEach(() => server.close())

  async function upload(token: string, photo: Buffer): Promise<string> {
    const res = await uploadRaw(server, token, photo, { filename: 'photo.jpg' })
    expect([200, 201]).toContain(res.statusCode)
    return (res.json() as UploadView).id
  }

  /** Staff-dao's (Deploy-Then-Verify) promotion of Kedai Kopi Sentosa with this storefront photo. */
  async function submitted(storefront: Buffer, store: Record<string, unknown> = {}) {
    const body = await promotionBody(server, dao, { store })
    body.store.storefrontPhotoId = await upload(dao, storefront)
    return createPromotion(server, dao, body)
  }

  const ANOTHER_STORE = { name: 'Toko Baru Jaya', location: { latitude: -6.25, longitude: 106.85, accuracy: 10, mocked: false } }

  it.each(VARIANTS)('refuses a %s copy of another store’s storefront photo with PHOTO_REUSED at that photo, and stores nothing', async (variant) => {
    const photo = await storefrontPhoto(1)
    await submitted(photo)
    // another staff member, another store, the copy as storefront photo
    const body = await promotionBody(server, chen, { store: ANOTHER_STORE, paymentVerificationIds: await passedVerifications(server, chen) })
    const original = body.store.storefrontPhotoId
    body.store.storefrontPhotoId = await upload(chen, await variantOf(photo, variant))
    const count = async () => ((await server.api('GET', '/api/promotions', { token: chen })).json() as { promotions: unknown[] }).promotions.length
    const before = await count()
    const res = await server.api('POST', '/api/promotions', { token: chen, body })
    expect(res.statusCode).toBe(409)
    expect(errorOf(res)).toMatchObject({ code: 'PHOTO_REUSED', fields: { 'store.storefrontPhotoId': 'PHOTO_REUSED' } })
    expect(await count()).toBe(before)
    // the draft is kept: with a photo of its own the same submission goes through (its other photos unused still)
    body.store.storefrontPhotoId = original
    expect((await server.api('POST', '/api/promotions', { token: chen, body })).statusCode).toBe(201)
  })

  it('refuses a spot photo that is a copy of another store’s photo, at that spot', async () => {
    const photo = await storefrontPhoto(4)
    await submitted(photo)
    const body = await promotionBody(server, dao, { store: ANOTHER_STORE })
    body.spots[1].photoId = await upload(dao, await variantOf(photo, 'recompressed'))
    const res = await server.api('POST', '/api/promotions', { token: dao, body })
    expect(res.statusCode).toBe(409)
    expect(errorOf(res)).toMatchObject({ code: 'PHOTO_REUSED', fields: { 'spots.1.photoId': 'PHOTO_REUSED' } })
  })

  it('accepts two storefronts that merely look alike', async () => {
    await submitted(await storefrontPhoto(3))
    const p = await submitted(await storefrontPhoto(7), ANOTHER_STORE)
    expect(p.status).toBe('AWAITING_PAYMENT_VERIFICATION')
  })

  it('flags (does not refuse) a photo like one of the same store’s earlier promotion, and shows it to the reviewer', async () => {
    const photo = await storefrontPhoto(9)
    const first = await submitted(photo)
    // the same store (same name in another form, 40 m away), another product
    const body = await promotionBody(server, dao, {
      product: 'PRIMARY_POSM',
      store: { name: 'KEDAI KOPI  sentosa', location: { latitude: -6.20036, longitude: 106.8166, accuracy: 10, mocked: false } },
    })
    body.store.storefrontPhotoId = await upload(dao, await variantOf(photo, 'resized'))
    const second = await createPromotion(server, dao, body)

    const flags = await server.db.all<{ kind: string; field: string; other_promotion_id: string; hash_distance: number }>(
      "SELECT kind, field, other_promotion_id, hash_distance FROM evidence_flags WHERE promotion_id = ? AND kind LIKE 'PHOTO%'",
      [second.id],
    )
    expect(flags).toEqual([
      { kind: 'PHOTO_LOOKS_LIKE_SAME_STORE', field: 'store.storefrontPhotoId', other_promotion_id: first.id, hash_distance: expect.any(Number) },
    ])
    expect(flags[0].hash_distance).toBeLessThanOrEqual(DEFAULT_EVIDENCE_SETTINGS.reuseMaxBits)

    const page = (await server.consoleGet(`/console/promotions/${second.id}`)).body
    const store = page.slice(page.indexOf('id="store-heading"'), page.indexOf('id="spots-heading"'))
    expect(store).toContain('data-evidence-flag="PHOTO_LOOKS_LIKE_SAME_STORE"')
    expect(store).toContain('Looks like a photo of an earlier promotion of the same store')
    expect(store).toContain(`href="/console/promotions/${first.id}"`)
    const queue = (await server.consoleGet('/console/promotions')).body
    const row = queue.slice(queue.indexOf(`data-promotion-id="${second.id}"`))
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('Photo like an earlier one')
    // the first promotion has no such flag
    expect((await server.consoleGet(`/console/promotions/${first.id}`)).body).not.toContain('PHOTO_LOOKS_LIKE_SAME_STORE')
  })

  it('photos:fingerprint gives photos uploaded before the check their fingerprint, so that a copy of one is refused', async () => {
    const photo = await storefrontPhoto(5)
    const first = await submitted(photo)
    // as before issue 26: no fingerprint stored
    const own = await server.db.all<{ upload_id: string }>(
      'SELECT h.upload_id FROM photo_hashes h JOIN uploads u ON u.id = h.upload_id WHERE u.promotion_id = ?',
      [first.id],
    )
    expect(own).toHaveLength(1)
    await server.db.run('DELETE FROM photo_hashes WHERE upload_id = ?', [own[0].upload_id])
    const copy = async () => {
      const body = await promotionBody(server, dao, { store: ANOTHER_STORE })
      body.store.storefrontPhotoId = await upload(dao, await variantOf(photo, 'resized'))
      return server.api('POST', '/api/promotions', { token: dao, body })
    }
    const folder = createFolderStore(server.uploadDir)
    const report = await backfillFingerprints(server.db, folder)
    expect(report.fingerprinted).toBe(1)
    expect(await server.db.get('SELECT upload_id FROM photo_hashes WHERE upload_id = ?', [own[0].upload_id])).toEqual({ upload_id: own[0].upload_id })
    const res = await copy()
    expect(res.statusCode).toBe(409)
    expect(errorOf(res).code).toBe('PHOTO_REUSED')
    // run again: nothing left to do
    expect((await backfillFingerprints(server.db, folder)).fingerprinted).toBe(0)
    folder.close()
  })

  it('uses PHOTO_REUSE_MAX_BITS: with 0 bits only an identical hash counts', async () => {
    await server.close()
    server = await startTestServer({ evidence: { reuseMaxBits: 0 } })
    dao = await server.signIn('staff-dao')
    const photo = await storefrontPhoto(3)
    await submitted(photo)
    // the crop of seed 3 differs in 3 bits: accepted under a 0-bit limit
    const body = await promotionBody(server, dao, { store: ANOTHER_STORE })
    body.store.storefrontPhotoId = await upload(dao, await variantOf(photo, 'cropped'))
    expect((await server.api('POST', '/api/promotions', { token: dao, body })).statusCode).toBe(201)
  })
})
