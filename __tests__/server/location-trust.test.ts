/**
 * Issue 26 item 4: location trust. Each photo keeps its accuracy and DingTalk's mock flag (sent with the upload);
 * at submit a promotion whose storefront photo was taken far from the store's entered location, with poor
 * accuracy, mocked, or without a location is flagged (stored per promotion with the distance), never refused;
 * the reviewer sees the flags beside the storefront photo and in the review queue. Thresholds are server
 * settings (evidence/config.ts). Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import type { PromotionView, UploadView } from '../../packages/contract/promotion'
import { loadConfig } from '../../server/src/config'
import { DEFAULT_EVIDENCE_SETTINGS, evidenceSettingsFromEnv } from '../../server/src/evidence/config'
import './engine'
import { startTestServer, type TestServer } from './helpers'
import { createPromotion, png, promotionBody, uploadRaw } from './promotion-fixtures'

// the store as promotionBody enters it: -6.2, 106.8166
const AT_STORE = { takenAt: '2025-03-03T01:58:00.000Z', latitude: '-6.2005', longitude: '106.8166', accuracy: '8', mocked: 'false' }

describe('location trust', () => {
  let server: TestServer
  let dao: string
  beforeEach(async () => {
    server = await startTestServer()
    dao = await server.signIn('staff-dao')
  })
  afterEach(() => server.close())

  let seed = 5000
  /** Staff-dao's promotion whose storefront photo was sent with these fields (its spots' photos at the store). */
  async function submitted(fields: Record<string, string>, store: Record<string, unknown> = {}): Promise<PromotionView> {
    const body = await promotionBody(server, dao, { store })
    const res = await uploadRaw(server, dao, png(seed++), { fields })
    expect(res.statusCode).toBe(201)
    body.store.storefrontPhotoId = (res.json() as UploadView).id
    return createPromotion(server, dao, body)
  }

  const flagsOf = (id: string) =>
    server.db.all<{ kind: string; field: string; meters: number | null; accuracy_meters: number | null }>(
      "SELECT kind, field, meters, accuracy_meters FROM evidence_flags WHERE promotion_id = ? AND kind LIKE 'LOCATION%' ORDER BY kind, field",
      [id],
    )
  const storeSection = async (id: string) => {
    const page = (await server.consoleGet(`/console/promotions/${id}`)).body
    return page.slice(page.indexOf('id="store-heading"'), page.indexOf('id="spots-heading"'))
  }
  const queueRow = async (id: string) => {
    const queue = (await server.consoleGet('/console/promotions')).body
    const row = queue.slice(queue.indexOf(`data-promotion-id="${id}"`))
    return row.slice(0, row.indexOf('</tr>'))
  }

  it('flags nothing for a storefront photo taken at the store, precisely, not mocked', async () => {
    const p = await submitted(AT_STORE)
    expect(await flagsOf(p.id)).toEqual([])
    expect(await storeSection(p.id)).not.toContain('data-evidence-flag')
    expect(await queueRow(p.id)).not.toContain('data-evidence-flag')
  })

  it('flags a storefront photo taken far from the store, with the distance, on the promotion page and in the queue', async () => {
    // Singapore, about 900 km from the store in Jakarta
    const p = await submitted({ ...AT_STORE, latitude: '1.3000', longitude: '103.8000' })
    expect(p.status).toBe('AWAITING_PAYMENT_VERIFICATION')
    const flags = await flagsOf(p.id)
    expect(flags).toEqual([{ kind: 'LOCATION_FAR', field: 'store.storefrontPhotoId', meters: expect.any(Number), accuracy_meters: 8 }])
    expect(flags[0].meters).toBeGreaterThan(850_000)
    expect(flags[0].meters).toBeLessThan(950_000)
    const section = await storeSection(p.id)
    expect(section).toMatch(/data-evidence-flag="LOCATION_FAR" data-meters="\d{6,7}">Taken \d{3} km from the store's entered location \(accuracy ±8 m\)\./)
    expect(await queueRow(p.id)).toContain('Taken far from the store')
  })

  it('flags poor accuracy and a mock location (DingTalk’s isFromMock), each with the distance', async () => {
    const p = await submitted({ ...AT_STORE, accuracy: '250', mocked: 'true' })
    expect(await flagsOf(p.id)).toEqual([
      { kind: 'LOCATION_MOCKED', field: 'store.storefrontPhotoId', meters: 56, accuracy_meters: 250 },
      { kind: 'LOCATION_POOR_ACCURACY', field: 'store.storefrontPhotoId', meters: 56, accuracy_meters: 250 },
    ])
    const section = await storeSection(p.id)
    expect(section).toContain("The photo's location was uncertain (accuracy ±250 m); taken 56 m from the store's entered location.")
    expect(section).toContain("DingTalk reported a mock location when the photo was taken (56 m from the store's entered location).")
    const row = await queueRow(p.id)
    expect(row).toContain('Poor location accuracy')
    expect(row).toContain('Mock location')
  })

  it('flags a mocked or uncertain store location entered on the device', async () => {
    const p = await submitted(AT_STORE, { location: { latitude: -6.2, longitude: 106.8166, accuracy: 500, mocked: true } })
    expect((await flagsOf(p.id)).map((f) => [f.kind, f.field])).toEqual([
      ['LOCATION_MOCKED', 'store.location'],
      ['LOCATION_POOR_ACCURACY', 'store.location'],
    ])
    expect(await storeSection(p.id)).toContain("DingTalk reported a mock location when the store's location was entered.")
  })

  it('flags a storefront photo without a location (it cannot be compared)', async () => {
    const p = await submitted({ takenAt: AT_STORE.takenAt })
    expect(await flagsOf(p.id)).toEqual([{ kind: 'LOCATION_UNKNOWN', field: 'store.storefrontPhotoId', meters: null, accuracy_meters: null }])
    expect(await storeSection(p.id)).toContain('The photo has no location')
  })

  it('uses the server settings: STOREFRONT_FAR_METERS 30 flags the photo 56 m away, LOCATION_POOR_ACCURACY_METERS 5 its 8 m accuracy', async () => {
    await server.close()
    server = await startTestServer({ evidence: { farMeters: 30, poorAccuracyMeters: 5 } })
    dao = await server.signIn('staff-dao')
    const p = await submitted(AT_STORE)
    expect((await flagsOf(p.id)).map((f) => [f.kind, f.meters])).toEqual([
      ['LOCATION_FAR', 56],
      ['LOCATION_POOR_ACCURACY', 56],
    ])
  })
})

describe('evidence settings', () => {
  it('default to the tuned values and read each variable', () => {
    expect(loadConfig({}).evidence).toEqual(DEFAULT_EVIDENCE_SETTINGS)
    expect(
      evidenceSettingsFromEnv({
        PHOTO_REUSE_MAX_BITS: '4',
        STOREFRONT_FAR_METERS: '500',
        LOCATION_POOR_ACCURACY_METERS: '80',
        SAME_STORE_METERS: '50',
        PHOTO_REUSE_MAX_COLOUR: '10',
      }),
    ).toEqual({ reuseMaxBits: 4, farMeters: 500, poorAccuracyMeters: 80, sameStoreMeters: 50, reuseMaxColour: 10 })
  })

  it('refuse a malformed value with a message naming the variable and its range', () => {
    expect(() => evidenceSettingsFromEnv({ STOREFRONT_FAR_METERS: '200m' })).toThrow(
      'STOREFRONT_FAR_METERS must be a whole number of metres between 1 and 1000000 (got "200m")',
    )
    expect(() => evidenceSettingsFromEnv({ PHOTO_REUSE_MAX_BITS: '20' })).toThrow(
      'PHOTO_REUSE_MAX_BITS must be a whole number of bits of the 64-bit photo hash between 0 and 16',
    )
  })
})
