/**
 * The evidence checks' pure rules (issue 26): which entries are the same store, and which location flags a
 * storefront photo raises against the store's entered location (evidence/rules.ts).
 */
import { DEFAULT_EVIDENCE_SETTINGS as SETTINGS } from '../../server/src/evidence/config'
import { isSameStore, locationFlags, storeNameKey } from '../../server/src/evidence/rules'

const STORE = { latitude: -6.2, longitude: 106.8166, accuracy: 10, mocked: false }
const photo = (over: Partial<{ latitude: number | null; longitude: number | null; accuracy: number | null; mocked: 0 | 1 | null }> = {}) => ({
  id: 'upl-1',
  latitude: -6.2,
  longitude: 106.8166,
  accuracy: 8,
  mocked: 0 as 0 | 1 | null,
  ...over,
})
const kinds = (flags: Array<{ kind: string; field: string | null; meters: number | null }>) => flags.map((f) => [f.kind, f.field, f.meters])

describe('the same store', () => {
  it('compares names without case, width, punctuation or spacing', () => {
    expect(storeNameKey('  KEDAI  Kopi-Sentosa! ')).toBe(storeNameKey('kedai kopi sentosa'))
    expect(storeNameKey('ＫＥＤＡＩ')).toBe('kedai')
    expect(storeNameKey('Kedai Kopi')).not.toBe(storeNameKey('Kedai Kopi 2'))
  })

  it('is the same name within SAME_STORE_METERS; another name or farther is another store', () => {
    const a = { name: 'Kedai Kopi', location: STORE }
    expect(isSameStore(a, { name: 'kedai kopi', location: { ...STORE, latitude: -6.2012 } }, SETTINGS)).toBe(true) // 133 m
    expect(isSameStore(a, { name: 'kedai kopi', location: { ...STORE, latitude: -6.2015 } }, SETTINGS)).toBe(false) // 167 m
    expect(isSameStore(a, { name: 'Kedai Teh', location: STORE }, SETTINGS)).toBe(false)
  })
})

describe('location flags', () => {
  it('none at the store, precise, not mocked', () => {
    expect(locationFlags(STORE, photo(), SETTINGS)).toEqual([])
  })

  it('LOCATION_FAR beyond STOREFRONT_FAR_METERS (not at it), with the distance', () => {
    expect(kinds(locationFlags(STORE, photo({ latitude: -6.2018 }), SETTINGS))).toEqual([]) // 200 m: not beyond
    expect(kinds(locationFlags(STORE, photo({ latitude: -6.2019 }), SETTINGS))).toEqual([['LOCATION_FAR', 'store.storefrontPhotoId', 211]])
  })

  it('LOCATION_POOR_ACCURACY from LOCATION_POOR_ACCURACY_METERS, the photo’s before the entered location’s', () => {
    expect(kinds(locationFlags(STORE, photo({ accuracy: 99 }), SETTINGS))).toEqual([])
    expect(kinds(locationFlags(STORE, photo({ accuracy: 100 }), SETTINGS))).toEqual([['LOCATION_POOR_ACCURACY', 'store.storefrontPhotoId', 0]])
    expect(kinds(locationFlags({ ...STORE, accuracy: 300 }, photo(), SETTINGS))).toEqual([['LOCATION_POOR_ACCURACY', 'store.location', 0]])
  })

  it('LOCATION_MOCKED for the photo or the entered location; LOCATION_UNKNOWN without a photo location', () => {
    expect(kinds(locationFlags(STORE, photo({ mocked: 1 }), SETTINGS))).toEqual([['LOCATION_MOCKED', 'store.storefrontPhotoId', 0]])
    expect(kinds(locationFlags({ ...STORE, mocked: true }, photo(), SETTINGS))).toEqual([['LOCATION_MOCKED', 'store.location', 0]])
    expect(kinds(locationFlags(STORE, photo({ latitude: null, longitude: null, accuracy: null, mocked: null }), SETTINGS))).toEqual([
      ['LOCATION_UNKNOWN', 'store.storefrontPhotoId', null],
    ])
  })
})
